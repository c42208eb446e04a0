// Draws the report's charts with Chart.js from the JSON data block (#report-data). Labels and
// numbers are drawn on canvas; nothing from the data is inserted as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var PALETTE = ['#1d3557', '#e76f51', '#2a9d8f', '#e9c46a', '#8d5a97', '#457b9d', '#f4a261', '#6a994e'];
  var number = new Intl.NumberFormat('en', {maximumFractionDigits: 2});
  var percent = new Intl.NumberFormat('en', {style: 'percent', maximumFractionDigits: 1});
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, sans-serif';
  Chart.defaults.color = '#1f2933';
  var drawn = 0;

  function make(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { throw new Error('no canvas ' + id); }
    var chart = new Chart(canvas, config);
    canvas.setAttribute('data-drawn', String(chart.data.datasets.reduce(function (n, d) { return n + d.data.length; }, 0)));
    drawn++;
    return chart;
  }

  // ROAS per paid channel on a log axis (owned channels reach ROAS in the thousands), green at or above
  // break-even (ROAS = 1 / margin, ROI 0), red below; the dashed line marks break-even. A ROAS of 0 is
  // drawn at the axis floor; the tooltip gives the true ROAS and ROI.
  function roi(id, c) {
    var positive = c.roas.filter(function (v) { return v !== null && v > 0; });
    var floor = positive.length ? Math.min.apply(null, positive) / 2 : 0.01;
    if (c.breakEvenRoas) { floor = Math.min(floor, c.breakEvenRoas / 2); }
    make(id, {
      type: 'bar',
      data: {labels: c.channels, datasets: [{
        label: 'ROAS (attributed revenue ÷ spend), log scale',
        data: c.roas.map(function (v) { return v === null ? null : Math.max(v, floor); }),
        backgroundColor: c.roas.map(function (v) {
          return c.breakEvenRoas && v !== null && v >= c.breakEvenRoas ? PALETTE[2] : PALETTE[1];
        })}]},
      options: {scales: {y: {type: 'logarithmic', min: floor, title: {display: true, text: 'ROAS (log scale)'}}},
        plugins: {tooltip: {callbacks: {label: function (ctx) {
          var i = ctx.dataIndex;
          return 'ROAS ' + number.format(c.roas[i]) + ', ROI ' + (c.roi[i] === null ? 'n/a' : number.format(c.roi[i]));
        }}}}},
      plugins: c.breakEvenRoas ? [breakEvenLine(c.breakEvenRoas)] : []
    });
  }

  function breakEvenLine(value) {
    return {
      id: 'breakEven',
      afterDatasetsDraw: function (chart) {
        var y = chart.scales.y.getPixelForValue(value), area = chart.chartArea, ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = '#111';
        ctx.setLineDash([6, 4]);
        ctx.beginPath();
        ctx.moveTo(area.left, y); ctx.lineTo(area.right, y);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.fillStyle = '#111';
        ctx.textAlign = 'right';
        ctx.fillText('break-even ROAS ' + number.format(value) + ' (ROI 0)', area.right - 4, y - 4);
        ctx.restore();
      }
    };
  }

  // Markov's bootstrap interval: a whisker over each Markov bar (dataset `index`), drawn after the bars.
  function whiskers(index, low, high) {
    return {
      id: 'whiskers',
      afterDatasetsDraw: function (chart) {
        var meta = chart.getDatasetMeta(index);
        if (!meta || meta.hidden) { return; }
        var y = chart.scales.y, ctx = chart.ctx;
        ctx.save();
        ctx.strokeStyle = '#111';
        ctx.lineWidth = 1.5;
        meta.data.forEach(function (bar, i) {
          var lo = low[i], hi = high[i];
          if (lo === null || hi === null || lo === undefined || hi === undefined) { return; }
          var top = y.getPixelForValue(hi), bottom = y.getPixelForValue(lo), w = Math.max(3, bar.width / 4);
          ctx.beginPath();
          ctx.moveTo(bar.x, top); ctx.lineTo(bar.x, bottom);
          ctx.moveTo(bar.x - w, top); ctx.lineTo(bar.x + w, top);
          ctx.moveTo(bar.x - w, bottom); ctx.lineTo(bar.x + w, bottom);
          ctx.stroke();
        });
        ctx.restore();
      }
    };
  }

  function attribution(id, c) {
    var datasets = c.models.map(function (m, i) {
      return {label: m === 'markov' ? 'markov (whiskers: interval)' : m, data: c.conversions[m],
        backgroundColor: PALETTE[i % PALETTE.length]};
    });
    var markov = c.models.indexOf('markov');
    make(id, {
      type: 'bar',
      data: {labels: c.channels, datasets: datasets},
      options: {
        scales: {y: {beginAtZero: true, title: {display: true, text: 'attributed conversions'},
          suggestedMax: Math.max.apply(null, c.ciHigh.filter(function (v) { return v !== null; }).concat([0]))}},
        plugins: {
          tooltip: {callbacks: {label: function (ctx) {
            var s = ctx.dataset.label + ': ' + number.format(ctx.parsed.y);
            if (ctx.datasetIndex === markov && c.ciLow[ctx.dataIndex] !== null) {
              s += ' (' + number.format(c.ciLow[ctx.dataIndex]) + ' – ' + number.format(c.ciHigh[ctx.dataIndex]) + ')';
            }
            return s;
          }}}}
      },
      plugins: markov >= 0 ? [whiskers(markov, c.ciLow, c.ciHigh)] : []
    });
  }

  // A heat map: a scatter chart on two category axes whose points are squares filling their cells.
  function shade(t) {
    var a = [239, 243, 255], b = [8, 48, 107];
    var k = Math.max(0, Math.min(1, t));
    return 'rgb(' + a.map(function (v, i) { return Math.round(v + (b[i] - v) * k); }).join(',') + ')';
  }

  function heat(id, c) {
    var max = c.cells.reduce(function (m, x) { return x.x === x.y && c.valueName === 'jaccard' ? m : Math.max(m, x.v); }, 0) || 1;
    function scaled(raw) { return raw.x === raw.y && c.valueName === 'jaccard' ? 1 : raw.v / max; }
    function radius(ctx) {
      var area = ctx.chart.chartArea;
      if (!area) { return 10; }
      var n = c.channels.length;
      return Math.max(2, Math.min(area.width, area.height) / n / 2 * Math.SQRT2 * 0.94);
    }
    var labels = {
      id: 'cellLabels',
      afterDatasetsDraw: function (chart) {
        var ctx = chart.ctx, points = chart.getDatasetMeta(0).data;
        ctx.save();
        ctx.textAlign = 'center';
        ctx.textBaseline = 'middle';
        ctx.font = '11px system-ui, sans-serif';
        points.forEach(function (p, i) {
          var raw = chart.data.datasets[0].data[i];
          ctx.fillStyle = scaled(raw) > 0.5 ? '#fff' : '#1f2933';
          ctx.fillText(percent.format(raw.v), p.x, p.y - 7);
          ctx.fillText(number.format(raw.n), p.x, p.y + 7);
        });
        ctx.restore();
      }
    };
    make(id, {
      type: 'scatter',
      data: {datasets: [{label: c.valueName, data: c.cells.map(function (x) { return {x: x.x, y: x.y, v: x.v, n: x.n}; }),
        pointStyle: 'rect', pointRadius: radius, pointHoverRadius: radius,
        backgroundColor: function (ctx) { return ctx.raw ? shade(scaled(ctx.raw)) : '#fff'; },
        borderColor: '#fff', borderWidth: 1}]},
      options: {
        layout: {padding: 8},
        scales: {
          x: {type: 'category', labels: c.channels, offset: true, grid: {display: false},
            title: {display: true, text: c.valueName === 'jaccard' ? 'channel' : 'to (repeat occasion)'}},
          y: {type: 'category', labels: c.channels, offset: true, reverse: false, grid: {display: false},
            title: {display: true, text: c.valueName === 'jaccard' ? 'channel' : 'from (previous occasion)'}}},
        plugins: {legend: {display: false},
          tooltip: {callbacks: {label: function (ctx) {
            var r = ctx.raw;
            return r.y + ' → ' + r.x + ': ' + c.valueName + ' ' + percent.format(r.v) + ', ' + c.countName + ' ' + number.format(r.n);
          }}}}
      },
      plugins: [labels]
    });
  }

  function stacked(id, c) {
    var tiers = Object.keys(c.series);
    var colours = {'high value at risk': '#e76f51', 'high value': '#1d3557', 'other': '#a8dadc'};
    make(id, {
      type: 'bar',
      data: {labels: c.labels, datasets: tiers.map(function (t, i) {
        return {label: t, data: c.series[t], backgroundColor: colours[t] || PALETTE[i % PALETTE.length]};
      })},
      options: {scales: {x: {stacked: true}, y: {stacked: true, beginAtZero: true, title: {display: true, text: c.axis}}},
        plugins: {tooltip: {callbacks: {label: function (ctx) { return ctx.dataset.label + ': ' + number.format(ctx.parsed.y); }}}}}
    });
  }

  function ltv(id, c) {
    make(id, {
      type: 'bar',
      data: {labels: c.channels, datasets: [{label: 'mean 12-month CLV per customer (CNY), by acquisition channel',
        data: c.meanClv, backgroundColor: PALETTE[2]}]},
      options: {scales: {y: {beginAtZero: true, title: {display: true, text: 'CNY'}}},
        plugins: {tooltip: {callbacks: {label: function (ctx) {
          return 'mean CLV ' + number.format(ctx.parsed.y) + ' CNY over ' + number.format(c.customers[ctx.dataIndex]) + ' customers';
        }}}}}
    });
  }

  var kinds = {roi: roi, attribution: attribution, heat: heat, stacked: stacked, ltv: ltv};
  Object.keys(data.charts).forEach(function (id) {
    var c = data.charts[id];
    kinds[c.kind](id, c);
  });
  document.body.setAttribute('data-charts', String(drawn));
  document.body.setAttribute('data-status', drawn === data.chartCount ? 'ready' : 'incomplete');
})();
