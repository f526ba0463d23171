/**
 * The browser script of the HTML backtest report (plain ES2017, run after Chart.js): reads the
 * embedded result, draws the charts, wires the run selector and finally sets
 * `window.__trancheReportReady` (and `data-report-ready` on `<body>`) so a headless check
 * knows the charts are drawn (`window.__trancheReportFailed` when drawing failed). Time axes
 * are linear over epoch ms with UTC labels, so no date adapter is needed; animations are off
 * so a screenshot is deterministic.
 */
export const backtestReportScript = String.raw`
(function () {
  'use strict';
  var result = JSON.parse(document.getElementById('backtest-data').textContent);
  var palette = ['#1f5fbf', '#d9730d', '#18794e', '#8e44ad', '#0f8a9d', '#b42318', '#6b7280', '#a16207', '#be185d', '#4d7c0f'];
  var BUY = '#15803d', SELL = '#c2410c', PRICE = '#475569', INK = '#1c2330';
  var charts = { cumulative: null, prices: [], slippage: [] };

  function fail(error) {
    window.__trancheReportFailed = true;
    var box = document.getElementById('script-error');
    if (box) { box.hidden = false; box.textContent = 'The charts could not be drawn: ' + (error && error.message ? error.message : error); }
    throw error;
  }
  if (typeof Chart === 'undefined') fail(new Error('Chart.js did not load'));

  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = INK;
  Chart.defaults.borderColor = '#e3e7ee';
  Chart.defaults.plugins.legend.labels.usePointStyle = true;
  Chart.defaults.plugins.legend.labels.boxHeight = 8;
  /* Legend in dataset order, whatever the drawing order says. */
  Chart.defaults.plugins.legend.labels.sort = function (a, b) { return a.datasetIndex - b.datasetIndex; };

  function pad2(n) { return (n < 10 ? '0' : '') + n; }
  function hms(ms) { var d = new Date(ms); return pad2(d.getUTCHours()) + ':' + pad2(d.getUTCMinutes()) + ':' + pad2(d.getUTCSeconds()); }
  var multiDay = result.data.endTs - result.data.startTs > 86400000;
  function timeLabel(ms, withMs) {
    var d = new Date(ms), millis = d.getUTCMilliseconds();
    return (multiDay ? pad2(d.getUTCMonth() + 1) + '-' + pad2(d.getUTCDate()) + ' ' : '') + hms(ms) +
      (withMs ? '.' + (millis < 100 ? '0' : '') + pad2(millis) : '');
  }
  function duration(ms) {
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 10000 && ms % 1000 !== 0) return (ms / 1000).toFixed(1) + 's';
    var s = Math.round(ms / 1000), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60, parts = [];
    if (h) parts.push(h + 'h');
    if (m) parts.push(m + 'm');
    if (r) parts.push(r + 's');
    return parts.join(' ');
  }
  /* Two decimals with a sign; what rounds to zero is 0.00, as in the table. */
  function bps(v) {
    if (v === null || v === undefined) return '–';
    return (Math.abs(v) < 0.005 ? '0.00' : (v > 0 ? '+' : '') + v.toFixed(2)) + ' bps';
  }
  function pct(v) { return v === null || v === undefined ? '–' : (v * 100).toFixed(1) + '%'; }
  function digitsFor(v) { var a = Math.abs(v); return a >= 1000 ? 2 : a >= 10 ? 3 : a >= 1 ? 4 : 6; }
  function num(v, digits) {
    if (v === null || v === undefined) return '–';
    return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  }
  function qty(v) { return v === null || v === undefined ? '–' : String(Number(v.toPrecision(8))); }
  function base(symbol) { return symbol.split('/')[0]; }
  function quote(symbol) { return symbol.split('/')[1] || ''; }

  var steps = [10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5, 216e5, 432e5, 864e5, 1728e5, 6048e5];
  function timeTicks(scale) {
    var span = scale.max - scale.min, step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) { if (span / steps[i] <= 8) { step = steps[i]; break; } }
    var ticks = [];
    for (var v = Math.ceil(scale.min / step) * step; v <= scale.max; v += step) ticks.push({ value: v });
    scale.ticks = ticks;
    scale.$subSecond = step < 1000;
  }
  function timeAxis(min, max) {
    return {
      type: 'linear', min: min, max: max, afterBuildTicks: timeTicks,
      title: { display: true, text: 'Time (UTC)' },
      ticks: { callback: function (v) { return timeLabel(v, this.$subSecond); }, maxRotation: 0 },
    };
  }

  var strategies = [];
  result.grid.strategies.concat(result.runs.map(function (r) { return r.requestedStrategy; })).forEach(function (s) {
    if (strategies.indexOf(s) < 0 && result.runs.some(function (r) { return r.requestedStrategy === s; })) strategies.push(s);
  });
  function strategyColour(s) { return palette[strategies.indexOf(s) % palette.length]; }
  function runLabel(r) {
    return r.id + ' · ' + r.side + ' ' + qty(r.quantity) + ' ' + r.symbol + ' · ' + r.requestedStrategy +
      (r.strategy !== r.requestedStrategy ? ' → ' + r.strategy : '');
  }

  /* Shades the selected run's window on a time chart (options.plugins.runWindow.from/to). */
  var runWindowPlugin = {
    id: 'runWindow',
    beforeDatasetsDraw: function (chart, _args, options) {
      if (options.from === undefined || options.from === null) return;
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      var left = Math.max(area.left, x.getPixelForValue(options.from)), right = Math.min(area.right, x.getPixelForValue(options.to));
      if (right <= left) return;
      ctx.save();
      ctx.fillStyle = 'rgba(31, 95, 191, 0.08)';
      ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
      ctx.strokeStyle = 'rgba(31, 95, 191, 0.45)';
      ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(left, area.top); ctx.lineTo(left, area.bottom); ctx.moveTo(right, area.top); ctx.lineTo(right, area.bottom); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = 'rgba(31, 95, 191, 0.9)';
      ctx.font = '600 11px ' + Chart.defaults.font.family;
      ctx.fillText(options.label || 'selected run', left + 4, area.top + 12);
      ctx.restore();
    },
  };
  Chart.register(runWindowPlugin);

  /* ---- slippage distribution per strategy ---- */
  function jitter(id) {
    var h = 2166136261;
    for (var i = 0; i < id.length; i++) { h ^= id.charCodeAt(i); h = Math.imul(h, 16777619); }
    return (((h >>> 0) % 1000) / 1000 - 0.5) * 0.5;
  }
  function p90(values) {
    var sorted = values.slice().sort(function (a, b) { return a - b; });
    var rank = 0.9 * (sorted.length - 1), low = Math.floor(rank), high = Math.ceil(rank);
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
  }
  function slippageChart(canvasId, field, title) {
    var crowded = result.runs.length > 400;
    var datasets = strategies.map(function (s, index) {
      var runs = result.runs.filter(function (r) { return r.requestedStrategy === s && r[field] !== null; });
      return {
        label: s, backgroundColor: strategyColour(s) + (crowded ? '55' : 'aa'), borderColor: strategyColour(s) + (crowded ? '88' : ''),
        borderWidth: crowded ? 0.5 : 1, pointRadius: crowded ? 2 : 3.5, pointHoverRadius: 6,
        data: runs.map(function (r) { return { x: index + jitter(r.id), y: r[field], run: r }; }),
      };
    });
    var means = [], p90s = [];
    strategies.forEach(function (s, index) {
      var values = result.runs.filter(function (r) { return r.requestedStrategy === s && r[field] !== null; }).map(function (r) { return r[field]; });
      if (values.length === 0) return;
      means.push({ x: index, y: values.reduce(function (a, b) { return a + b; }, 0) / values.length, n: values.length });
      p90s.push({ x: index, y: p90(values), n: values.length });
    });
    datasets.push({ label: 'mean', data: means, pointStyle: 'line', pointRadius: 22, borderWidth: 3, borderColor: INK, backgroundColor: INK });
    datasets.push({ label: 'p90', data: p90s, pointStyle: 'line', pointRadius: 22, borderWidth: 2, borderColor: '#b42318', backgroundColor: '#b42318' });
    return new Chart(document.getElementById(canvasId), {
      type: 'scatter',
      data: { datasets: datasets },
      options: {
        plugins: {
          title: { display: true, text: title },
          tooltip: { callbacks: { label: function (item) {
            var p = item.raw;
            if (p.run) return runLabel(p.run) + ' (' + p.run.marketState + ', ' + p.run.sizeBucket + '): ' + bps(p.y);
            return item.dataset.label + ' of ' + p.n + ' run(s): ' + bps(p.y);
          } } },
        },
        scales: {
          x: {
            type: 'linear', min: -0.5, max: strategies.length - 0.5,
            afterBuildTicks: function (scale) { scale.ticks = strategies.map(function (_s, i) { return { value: i }; }); },
            ticks: { callback: function (v) { return strategies[v] || ''; }, font: { weight: '600' } },
            grid: { display: false }, title: { display: true, text: 'Strategy requested' },
          },
          y: {
            title: { display: true, text: 'bps (positive = worse)' },
            ticks: { callback: function (v) { return Number(v).toFixed(2); } },
            grid: { color: function (c) { return c.tick && c.tick.value === 0 ? '#8a94a6' : '#e3e7ee'; } },
          },
        },
      },
    });
  }

  /* ---- cumulative filled vs target of the selected run ---- */
  /* The planned window: a run that filled early still shows the time it had. */
  function windowEnd(run) {
    return Math.max(run.endTs, run.startTs + run.durationMs, run.fills.length ? run.fills[run.fills.length - 1].ts : run.endTs);
  }
  function cumulativeData(run) {
    var filled = [{ x: run.startTs, y: 0 }], total = 0;
    run.fills.forEach(function (f) { total += f.quantity; filled.push({ x: f.ts, y: total }); });
    var end = windowEnd(run);
    filled.push({ x: end, y: total });
    var target = run.schedule.map(function (p) { return { x: p.ts, y: p.scheduledQuantity }; });
    if (target.length > 0 && target[0].x > run.startTs) target.unshift({ x: run.startTs, y: 0 });
    return { filled: filled, target: target, requested: [{ x: run.startTs, y: run.quantity }, { x: end, y: run.quantity }], end: end };
  }
  function cumulativeChart(run) {
    var d = cumulativeData(run);
    return new Chart(document.getElementById('chart-cumulative'), {
      type: 'scatter',
      data: { datasets: [
        { label: 'Target (schedule)', data: d.target, showLine: true, stepped: 'after', borderColor: '#d9730d', backgroundColor: '#d9730d', borderDash: [6, 4], borderWidth: 2, pointRadius: 0, pointStyle: 'line' },
        { label: 'Filled (cumulative fills)', data: d.filled, showLine: true, stepped: 'after', borderColor: '#1f5fbf', backgroundColor: '#1f5fbf', borderWidth: 2, pointRadius: 0, pointStyle: 'line' },
        { label: 'Requested', data: d.requested, showLine: true, borderColor: '#7b8494', backgroundColor: '#7b8494', borderWidth: 1.25, borderDash: [2, 3], pointRadius: 0, pointStyle: 'line' },
      ] },
      options: {
        interaction: { mode: 'nearest', intersect: false },
        plugins: {
          title: { display: true, text: '' },
          tooltip: { callbacks: { title: function (items) { return items.length ? timeLabel(items[0].parsed.x, true) + ' UTC' : ''; },
            label: function (item) { return item.dataset.label + ': ' + qty(item.parsed.y); } } },
        },
        scales: { x: timeAxis(run.startTs, d.end), y: { beginAtZero: true, title: { display: true, text: '' } } },
      },
    });
  }
  function updateCumulative(run) {
    var chart = charts.cumulative, d = cumulativeData(run);
    chart.data.datasets[0].data = d.target;
    chart.data.datasets[1].data = d.filled;
    chart.data.datasets[2].data = d.requested;
    chart.options.scales.x.min = run.startTs;
    chart.options.scales.x.max = d.end;
    chart.options.scales.y.title.text = 'Quantity (' + base(run.symbol) + ')';
    chart.options.plugins.title.text = runLabel(run) + ' · ' + hms(run.startTs) + ' UTC + ' + duration(run.durationMs) +
      (run.endTs < run.startTs + run.durationMs ? ', done after ' + duration(run.endTs - run.startTs) : '') +
      (run.schedule.length === 0 ? ' · no schedule (not a scheduled strategy)' : '');
    chart.update('none');
  }

  /* ---- market price with the fills, per symbol ---- */
  function fillPoints(runs, side, cap) {
    var points = [];
    runs.forEach(function (r) { if (r.side === side) r.fills.forEach(function (f) { points.push({ x: f.ts, y: f.price, run: r, fill: f }); }); });
    if (points.length <= cap) return points;
    var stride = Math.ceil(points.length / cap);
    return points.filter(function (_p, i) { return i % stride === 0; });
  }
  function priceChart(series, index) {
    /* A symbol can have several recordings (data sets), each with its own series and runs. */
    var runs = result.runs.filter(function (r) { return r.symbol === series.symbol && (!series.dataset || !r.dataset || r.dataset === series.dataset); });
    var line = series.ts.map(function (t, i) { return { x: t, y: series.price[i] }; });
    var min = series.ts.length ? series.ts[0] : result.data.startTs, max = series.ts.length ? series.ts[series.ts.length - 1] : result.data.endTs;
    runs.forEach(function (r) { min = Math.min(min, r.startTs); max = Math.max(max, r.endTs); });
    var sideStyle = function (label, colour, rotation, data) {
      return { label: label, data: data, backgroundColor: colour + '59', borderColor: colour + '99', borderWidth: 1, pointStyle: 'triangle', pointRotation: rotation, pointRadius: 3.5 };
    };
    var chart = new Chart(document.getElementById('chart-price-' + index), {
      type: 'scatter',
      data: { datasets: [
        { label: 'Price (last trade)', data: line, showLine: true, borderColor: PRICE, backgroundColor: PRICE, borderWidth: 1.25, pointRadius: 0, pointStyle: 'line', order: 3 },
        sideStyle('Buy fills (all runs)', BUY, 0, fillPoints(runs, 'buy', 4000)),
        sideStyle('Sell fills (all runs)', SELL, 180, fillPoints(runs, 'sell', 4000)),
        { label: 'Selected run fills', data: [], pointStyle: 'triangle', pointRadius: 6, borderWidth: 1.5, borderColor: INK, backgroundColor: INK, order: 0 },
        { label: 'Selected run arrival', data: [], showLine: true, borderColor: '#1f5fbf', backgroundColor: '#1f5fbf', borderDash: [6, 3], borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
        { label: 'Selected run avg price', data: [], showLine: true, borderColor: '#8e44ad', backgroundColor: '#8e44ad', borderWidth: 1.5, pointRadius: 0, pointStyle: 'line' },
      ] },
      options: {
        plugins: {
          title: { display: true, text: series.symbol + (series.dataset ? ' · ' + series.dataset : '') + ': ' + runs.length + ' run(s), price bucket ' + duration(series.stepMs) },
          runWindow: {},
          tooltip: { callbacks: {
            title: function (items) { return items.length ? timeLabel(items[0].parsed.x, true) + ' UTC' : ''; },
            label: function (item) {
              var p = item.raw, text = item.dataset.label + ': ' + num(item.parsed.y, digitsFor(item.parsed.y));
              return p && p.fill ? text + ' · ' + qty(p.fill.quantity) + (p.fill.maker ? ' maker' : ' taker') + ' · ' + runLabel(p.run) : text;
            },
          } },
        },
        scales: {
          x: timeAxis(min, max),
          y: { title: { display: true, text: 'Price (' + quote(series.symbol) + ')' }, ticks: { callback: function (v) { return num(v, digitsFor(v)); } } },
        },
      },
    });
    chart.$series = series;
    return chart;
  }
  function updatePrices(run) {
    charts.prices.forEach(function (chart) {
      var series = chart.$series, colour = run.side === 'buy' ? BUY : SELL;
      var mine = series.symbol === run.symbol && (!series.dataset || !run.dataset || run.dataset === series.dataset);
      var selected = chart.data.datasets[3];
      selected.data = mine ? run.fills.map(function (f) { return { x: f.ts, y: f.price, run: run, fill: f }; }) : [];
      selected.backgroundColor = colour;
      selected.pointRotation = run.side === 'buy' ? 0 : 180;
      var end = windowEnd(run);
      chart.data.datasets[4].data = mine && run.arrivalPrice !== null ? [{ x: run.startTs, y: run.arrivalPrice }, { x: end, y: run.arrivalPrice }] : [];
      chart.data.datasets[5].data = mine && run.averagePrice !== null ? [{ x: run.startTs, y: run.averagePrice }, { x: end, y: run.averagePrice }] : [];
      chart.options.plugins.runWindow = mine ? { from: run.startTs, to: end, label: run.id + ' (' + run.strategy + ')' } : {};
      chart.update('none');
    });
  }

  function updateFacts(run) {
    var facts = [
      ['status', run.status], ['filled', qty(run.filledQuantity) + ' / ' + qty(run.quantity) + ' ' + base(run.symbol) + ' (' + pct(run.fillRate) + ')'],
      ['avg price', run.averagePrice === null ? '–' : num(run.averagePrice, digitsFor(run.averagePrice))],
      ['arrival mid', run.arrivalPrice === null ? '–' : num(run.arrivalPrice, digitsFor(run.arrivalPrice))],
      ['impl. shortfall', bps(run.implementationShortfallBps)], ['vs VWAP', bps(run.vwapSlippageBps)],
      ['total cost', bps(run.totalCostBps)], ['fees', bps(run.feeBps)],
      ['participation', pct(run.participationRate)], ['child orders', String(run.childOrders)],
      ['market state', run.marketState], ['size', run.sizeBucket + ' (' + pct(run.shareOfVolume) + ' of volume)'],
    ];
    var box = document.getElementById('run-facts');
    box.textContent = '';
    facts.forEach(function (f) {
      var div = document.createElement('div'), label = document.createElement('span');
      label.textContent = f[0];
      div.appendChild(label);
      div.appendChild(document.createTextNode(f[1]));
      box.appendChild(div);
    });
  }

  function select(index) {
    var run = result.runs[index];
    if (!run) return;
    updateFacts(run);
    updateCumulative(run);
    updatePrices(run);
  }

  /* A link can pick the run: report.html#run=<execution id>. */
  function initialRun() {
    var match = /^#run=(.+)$/.exec(window.location.hash);
    var wanted = match ? decodeURIComponent(match[1]) : null;
    var index = wanted === null ? -1 : result.runs.findIndex(function (r) { return r.id === wanted; });
    return index >= 0 ? index : 0;
  }

  try {
    charts.slippage.push(slippageChart('chart-shortfall', 'implementationShortfallBps', 'Implementation shortfall vs arrival mid, per run'));
    charts.slippage.push(slippageChart('chart-vwap', 'vwapSlippageBps', 'Average price vs market VWAP over the run, per run'));
    if (result.runs.length > 0) charts.cumulative = cumulativeChart(result.runs[0]);
    result.prices.forEach(function (series, index) { charts.prices.push(priceChart(series, index)); });
    var selector = document.getElementById('run-select');
    if (selector && result.runs.length > 0) {
      selector.addEventListener('change', function () { select(Number(selector.value)); });
      selector.value = String(initialRun());
      select(Number(selector.value));
      window.addEventListener('hashchange', function () { selector.value = String(initialRun()); select(Number(selector.value)); });
    }
  } catch (error) {
    fail(error);
  }
  window.__trancheReportReady = true;
  document.body.setAttribute('data-report-ready', 'true');
})();
`;
