import { chartJsSource } from '../backtest/html-report.js';
import { dashboardScript } from './dashboard-script.js';
import { dashboardStyle } from './dashboard-style.js';

/**
 * The dashboard page: one self-contained HTML document (inline styles, script and
 * Chart.js, so it makes no request but to its own server). It loads `/api/state` and
 * `/api/history`, then follows `/api/events` (Server-Sent Events); a `?token=` in its
 * URL is kept in the tab's session storage, removed from the address bar and sent as
 * `Authorization: Bearer` with every API call.
 */
export function renderDashboardHtml(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="tranche serve">
<link rel="icon" href="data:,">
<title>Tranche dashboard</title>
<style>${dashboardStyle}</style>
</head>
<body>
<header class="top">
<div>
<h1>Tranche <span class="sub">live executions</span></h1>
<p class="lead" id="context">connecting…</p>
</div>
<div class="top-right">
<span id="connection" class="pill pill-off" role="status">offline</span>
<button type="button" id="kill-button" class="danger">Kill switch</button>
</div>
</header>
<p id="kill-result" class="banner" hidden></p>
<p id="data-ended" class="banner warn" hidden></p>
<p id="error" class="banner bad" hidden></p>
<section id="live">
<h2>Executions</h2>
<p id="no-executions" class="note">No execution yet: submit one below or with <code>POST /api/executions</code>.</p>
<div id="executions" class="cards"></div>
<form id="order-form" class="order-form">
<label for="order-input">New order (the <code>tranche execute --order</code> JSON)</label>
<textarea id="order-input" rows="2" spellcheck="false">{"symbol":"BTC/USDT","side":"buy","type":"twap","quantity":0.5,"params":{"durationMs":120000,"slices":8}}</textarea>
<button type="submit">Submit</button>
<span id="order-result" class="note"></span>
</form>
</section>
<section id="markets">
<h2>Markets</h2>
<p class="note">Mid price (line) sampled once a second of exchange time; triangles are fills (up: buy, down: sell). Market state from the market-state monitor.</p>
<div id="market-list" class="markets"></div>
</section>
<section id="quality">
<h2>Quality metrics</h2>
<p class="note">From the installed metric collectors, refreshed every two seconds. Costs in bps, positive is worse for the order.</p>
<div id="metrics" class="metrics"></div>
</section>
<section id="history">
<h2>Execution history</h2>
<p class="note">Newest first. <em>pending</em>: the quality record still waits for its 1- and 5-minute markouts before it is stored.</p>
<table id="history-table"><thead><tr><th>ended (UTC)</th><th>id</th><th>symbol</th><th>side</th><th>strategy</th><th>status</th><th class="num">filled</th><th class="num">avg price</th><th class="num">slippage bps</th><th class="num">cost bps</th><th>record</th></tr></thead><tbody></tbody></table>
</section>
<footer><p class="note">tranche serve. Times are exchange times (UTC). Charts drawn with Chart.js (MIT licence, inlined).</p></footer>
<script>
${chartJsSource()}
</script>
<script>${dashboardScript}</script>
</body>
</html>
`;
}
