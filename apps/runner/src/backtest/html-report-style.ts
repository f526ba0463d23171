/**
 * The stylesheet of the HTML backtest report: dark text on a light page, system fonts only
 * (the page must open offline), tabular figures so columns of bps line up.
 */
export const backtestReportStyle = `
:root {
  --ink: #1c2330; --muted: #5b6576; --rule: #d9dee6; --panel: #ffffff; --page: #f4f6f9;
  --accent: #1f5fbf; --good: #18794e; --bad: #b42318;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink); background: var(--page);
}
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; max-width: 1400px; margin-inline: auto; font-size: 14px; line-height: 1.45; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 8px; }
h3 { font-size: 14px; margin: 0 0 6px; color: var(--muted); font-weight: 600; }
p.lead { margin: 0 0 16px; color: var(--muted); }
section { background: var(--panel); border: 1px solid var(--rule); border-radius: 8px; padding: 16px 20px; margin: 0 0 20px; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 6px 28px; margin: 0; }
.facts div { display: flex; gap: 8px; }
.facts dt { color: var(--muted); min-width: 84px; flex: none; }
.facts dd { margin: 0; font-variant-numeric: tabular-nums; }
.facts div.wide { grid-column: 1 / -1; }
.facts div.wide dd { white-space: pre-line; }
.note { color: var(--muted); font-size: 12.5px; margin: 6px 0 0; }
.controls { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; margin: 0 0 12px; }
.controls label { font-weight: 600; }
select { font: inherit; padding: 4px 8px; border: 1px solid var(--rule); border-radius: 6px; background: #fff; color: var(--ink); max-width: 100%; }
.chart { position: relative; height: 320px; }
.chart.short { height: 300px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px 24px; }
.run-facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(190px, 1fr)); gap: 4px 20px; margin: 0 0 12px; font-variant-numeric: tabular-nums; }
.run-facts span { color: var(--muted); margin-right: 6px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: 13px; }
th, td { padding: 3px 8px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
th { background: #eef1f5; font-weight: 600; position: sticky; top: 0; }
thead tr:first-child th { border-bottom: 1px solid #c4cbd6; }
th.group { text-align: center; border-left: 1px solid #c4cbd6; }
td.first-of-group, th.first-of-group { border-left: 1px solid var(--rule); }
td.text, th.text { text-align: left; }
tbody tr:hover { background: #f7f9fc; }
tbody tr.group-start td { border-top: 1px solid #b8c0cc; }
td.best { color: var(--good); font-weight: 600; }
td.null { color: var(--muted); }
.table-wrap { overflow-x: auto; }
footer { color: var(--muted); font-size: 12px; }
noscript p { background: #fff6e0; border: 1px solid #f0d48a; padding: 8px 12px; border-radius: 6px; }
`;
