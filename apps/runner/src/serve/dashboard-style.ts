/** The dashboard's stylesheet: system fonts only (no network), tabular figures, one card per execution. */
export const dashboardStyle = `
:root {
  --ink: #1c2330; --muted: #5b6576; --rule: #d9dee6; --panel: #ffffff; --page: #f4f6f9;
  --accent: #1f5fbf; --good: #18794e; --bad: #b42318; --warn: #a16207;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--page);
}
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 20px 28px 40px; max-width: 1400px; font-size: 14px; line-height: 1.45; }
h1 { font-size: 22px; margin: 0; }
h1 .sub { font-weight: 400; color: var(--muted); font-size: 16px; }
h2 { font-size: 17px; margin: 0 0 8px; }
code { font-size: 12.5px; background: #eef1f5; padding: 0 4px; border-radius: 4px; }
.lead { margin: 2px 0 0; color: var(--muted); }
.top { display: flex; justify-content: space-between; align-items: center; gap: 16px; margin-bottom: 14px; }
.top-right { display: flex; align-items: center; gap: 12px; }
section { background: var(--panel); border: 1px solid var(--rule); border-radius: 8px; padding: 14px 18px; margin: 0 0 16px; }
.note { color: var(--muted); font-size: 12.5px; margin: 4px 0 8px; }
.banner { padding: 8px 12px; border-radius: 6px; margin: 0 0 12px; background: #e8f0fd; border: 1px solid #b9cdf3; }
.banner.warn { background: #fdf6e3; border-color: #ecd58e; }
.banner.bad { background: #fdecea; border-color: #f3b6ae; color: var(--bad); }
.pill { font-size: 12px; padding: 2px 10px; border-radius: 999px; border: 1px solid var(--rule); }
.pill-on { background: #e6f4ec; color: var(--good); border-color: #a8d5bc; }
.pill-off { background: #fdecea; color: var(--bad); border-color: #f3b6ae; }
button { font: inherit; padding: 5px 12px; border-radius: 6px; border: 1px solid var(--rule); background: #fff; color: var(--ink); cursor: pointer; }
button:hover { border-color: var(--accent); }
button:disabled { opacity: .5; cursor: default; }
button.danger { background: var(--bad); border-color: var(--bad); color: #fff; font-weight: 600; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
.card { border: 1px solid var(--rule); border-radius: 8px; padding: 10px 14px; }
.card.ended { background: #fafbfc; }
.card-head { display: flex; justify-content: space-between; align-items: baseline; gap: 8px; }
.card-title { font-weight: 600; font-size: 15px; }
.card-title .id { font-weight: 400; color: var(--muted); font-size: 12px; margin-left: 6px; }
.state { font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 999px; background: #e8f0fd; color: var(--accent); }
.state-filled { background: #e6f4ec; color: var(--good); }
.state-cancelled, .state-expired, .state-partially_filled { background: #fdf6e3; color: var(--warn); }
.state-rejected { background: #fdecea; color: var(--bad); }
.progress { position: relative; height: 16px; background: #eef1f5; border-radius: 4px; margin: 10px 0 4px; overflow: hidden; }
.progress-filled { position: absolute; left: 0; top: 0; bottom: 0; background: var(--accent); }
.progress-schedule { position: absolute; top: -2px; bottom: -2px; width: 3px; background: var(--ink); }
.progress-text { font-size: 12.5px; color: var(--muted); font-variant-numeric: tabular-nums; }
.facts { display: grid; grid-template-columns: repeat(3, 1fr); gap: 2px 14px; margin: 8px 0; }
.facts div { display: flex; flex-direction: column; }
.facts dt { color: var(--muted); font-size: 11.5px; }
.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
.end-reason { font-size: 12px; color: var(--muted); margin: 0; }
.alert { font-size: 12px; margin: 0 0 6px; padding: 3px 8px; border-radius: 4px; background: #e8f0fd; }
.alert-warning { background: #fdf6e3; color: var(--warn); }
.alert-critical { background: #fdecea; color: var(--bad); }
.order-form { display: grid; grid-template-columns: 1fr auto; gap: 6px 10px; margin-top: 14px; align-items: start; }
.order-form label { grid-column: 1 / -1; font-size: 12.5px; color: var(--muted); }
.order-form textarea { font: 12.5px ui-monospace, SFMono-Regular, Menlo, monospace; padding: 6px; border: 1px solid var(--rule); border-radius: 6px; resize: vertical; }
.order-form .note { grid-column: 1 / -1; margin: 0; }
.markets { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 14px; }
.market h3 { margin: 0 0 4px; font-size: 15px; }
.market-facts { display: flex; flex-wrap: wrap; gap: 4px 16px; font-variant-numeric: tabular-nums; font-size: 13px; }
.market-facts span b { font-weight: 400; color: var(--muted); margin-right: 4px; }
.chart { position: relative; height: 260px; margin-top: 6px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--rule); white-space: nowrap; }
th { color: var(--muted); font-weight: 600; font-size: 12px; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px; }
.metrics h3 { font-size: 13px; margin: 0 0 4px; color: var(--muted); }
footer { margin-top: 8px; }
`;
