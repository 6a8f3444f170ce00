// The report's inline browser script (plain ES2017, no dependencies beyond the inlined chart.js):
// builds every chart from the embedded JSON specs, adding per-kind callbacks, and sorts tables.

export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var dataEl = document.getElementById('fb-data');
  var data = dataEl ? JSON.parse(dataEl.textContent || '{}') : {};

  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return '–';
    if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
    return String(Number(v.toPrecision(3)));
  }
  function pct(x, minDecimals) {
    var p = 100 * (1 - 1 / x);
    var d = Math.max(minDecimals, Math.round(Math.log10(x)) - 1);
    return String(Number(p.toFixed(Math.min(d, 6)))) + '%';
  }
  function tooltip(cfg) {
    cfg.options = cfg.options || {};
    cfg.options.plugins = cfg.options.plugins || {};
    cfg.options.plugins.tooltip = cfg.options.plugins.tooltip || {};
    cfg.options.plugins.tooltip.callbacks = cfg.options.plugins.tooltip.callbacks || {};
    return cfg.options.plugins.tooltip;
  }

  var patch = {
    percentiles: function (cfg) {
      tooltip(cfg).callbacks.label = function (ctx) { return ctx.dataset.label + ': ' + fmt(ctx.parsed.y) + ' ms'; };
    },
    tradeoff: function (cfg) {
      tooltip(cfg).filter = function (item) { return item.dataset.fbRole !== 'limit'; };
      tooltip(cfg).callbacks.label = function (ctx) {
        return ctx.raw.label + ': startup p50 ' + fmt(ctx.raw.x) + ' ms, stall ' + fmt(ctx.raw.y) + '%';
      };
    },
    spectrum: function (cfg) {
      var x = cfg.options.scales.x;
      x.afterBuildTicks = function (axis) {
        var ticks = [{ value: 1 }, { value: 2 }];
        for (var v = 10; v <= axis.max * 1.0001; v *= 10) ticks.push({ value: v });
        axis.ticks = ticks;
      };
      x.ticks = { autoSkip: false, maxRotation: 0, callback: function (v) { return pct(Number(v), 0); } };
      var t = tooltip(cfg);
      t.mode = 'nearest';
      t.intersect = false;
      t.callbacks.title = function (items) { return items.length ? 'percentile ' + pct(items[0].parsed.x, 1) : ''; };
      t.callbacks.label = function (ctx) { return ctx.dataset.label + ': ' + fmt(ctx.parsed.y) + ' ms'; };
    },
    timeseries: function (cfg) {
      var t = tooltip(cfg);
      t.filter = function (item) { return item.dataset.fbRole !== 'eventLine'; };
      t.callbacks.title = function (items) { return items.length ? 't = ' + fmt(items[0].parsed.x) + ' s' : ''; };
      t.callbacks.label = function (ctx) {
        if (ctx.dataset.fbRole === 'event') return ctx.raw.kind + ': ' + ctx.raw.detail;
        return ctx.dataset.label + ': ' + fmt(ctx.parsed.y);
      };
      var legend = cfg.options.plugins.legend;
      legend.labels = legend.labels || {};
      legend.labels.filter = function (item, chartData) {
        return chartData.datasets[item.datasetIndex].fbRole !== 'eventLine';
      };
    },
    chaos: function (cfg) {
      var marks = cfg.options.plugins.fbFaults && cfg.options.plugins.fbFaults.marks;
      if (!marks) return;
      var t = tooltip(cfg);
      t.callbacks.title = function (items) { return items.length ? 't = ' + fmt(items[0].parsed.x) + ' s' : ''; };
      t.callbacks.label = function (ctx) {
        if (ctx.dataset.fbRole === 'fault') return ctx.raw.label + ': ' + ctx.raw.detail;
        return ctx.dataset.label + ': ' + fmt(ctx.parsed.y);
      };
      var legend = cfg.options.plugins.legend;
      legend.labels.filter = function (item, chartData) { return chartData.datasets[item.datasetIndex].fbRole !== 'fault'; };
      cfg.options.layout.padding.top = 8 + 13 * Math.min(3, marks.length);
      cfg.plugins = [faultPlugin(marks)];
    },
    drift: function (cfg) {
      function clock(s) {
        s = Math.max(0, Math.round(s));
        var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
        var mm = h > 0 && m < 10 ? '0' + m : String(m);
        return (h > 0 ? h + ':' : '') + mm + ':' + (r < 10 ? '0' : '') + r;
      }
      var x = cfg.options.scales.x;
      x.ticks = x.ticks || {};
      x.ticks.maxRotation = 0;
      x.ticks.callback = function (v) { return clock(Number(v)); };
      var t = tooltip(cfg);
      t.callbacks.title = function (items) { return items.length ? 't = ' + clock(items[0].parsed.x) : ''; };
      t.callbacks.label = function (ctx) { return ctx.dataset.label + ': ' + fmt(ctx.parsed.y) + (ctx.dataset.fbUnit ? ' ' + ctx.dataset.fbUnit : ''); };
    }
  };

  // Chaos timelines: fault bands (t → endsAt) and dashed lines under the data, labels above the plot.
  function faultPlugin(marks) {
    return {
      id: 'fbFaults',
      beforeDatasetsDraw: function (chart) {
        var x = chart.scales.x, a = chart.chartArea, c = chart.ctx;
        c.save();
        marks.forEach(function (m) {
          var x0 = x.getPixelForValue(m.t);
          if (m.band && m.endsAt != null) {
            c.fillStyle = m.band;
            c.fillRect(x0, a.top, Math.max(2, x.getPixelForValue(m.endsAt) - x0), a.bottom - a.top);
          }
          c.strokeStyle = m.colour;
          c.lineWidth = 1.2;
          c.setLineDash([4, 3]);
          c.beginPath(); c.moveTo(x0, a.top); c.lineTo(x0, a.bottom); c.stroke();
        });
        c.restore();
      },
      afterDraw: function (chart) {
        if (marks.length > 60) return;
        var x = chart.scales.x, a = chart.chartArea, c = chart.ctx, rows = [];
        c.save();
        c.font = '600 11px ' + Chart.defaults.font.family;
        c.textBaseline = 'bottom';
        marks.forEach(function (m) {
          var w = c.measureText(m.label).width, x0 = Math.max(a.left, Math.min(x.getPixelForValue(m.t) - 4, chart.width - w - 2));
          var row = 0;
          while (row < rows.length && rows[row] > x0) row++;
          if (row > 2) return;
          rows[row] = x0 + w + 8;
          c.fillStyle = m.colour;
          c.fillText(m.label, x0, a.top - 3 - row * 13);
        });
        c.restore();
      }
    };
  }

  function drawCharts() {
    if (typeof Chart === 'undefined') return;
    Chart.defaults.animation = false;
    Chart.defaults.responsive = true;
    Chart.defaults.maintainAspectRatio = false;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#333';
    (data.charts || []).forEach(function (spec) {
      var canvas = document.getElementById(spec.id);
      if (!canvas) return;
      try {
        if (patch[spec.kind]) patch[spec.kind](spec.config);
        new Chart(canvas, spec.config);
      } catch (err) {
        var box = canvas.parentNode;
        box.textContent = 'Chart could not be drawn: ' + (err && err.message ? err.message : String(err));
        console.error('framebench chart ' + spec.id, err);
      }
    });
  }

  function sortKey(cell) {
    var v = cell.getAttribute('data-v');
    if (v === null) return cell.textContent.trim().toLowerCase();
    if (v === '') return null;
    var n = Number(v);
    return isNaN(n) ? v : n;
  }
  function sortBy(th) {
    var table = th.closest('table');
    var body = table.tBodies[0];
    var index = th.cellIndex;
    var dir = th.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
    Array.prototype.forEach.call(th.parentNode.cells, function (h) { if (h.hasAttribute('aria-sort')) h.setAttribute('aria-sort', 'none'); });
    th.setAttribute('aria-sort', dir);
    var sign = dir === 'ascending' ? 1 : -1;
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var ka = sortKey(a.cells[index]);
      var kb = sortKey(b.cells[index]);
      if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1;
      if (typeof ka === 'number' && typeof kb === 'number') return (ka - kb) * sign;
      return String(ka).localeCompare(String(kb)) * sign;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  function wireSorting() {
    document.querySelectorAll('table.sortable th[data-sort]').forEach(function (th) {
      th.addEventListener('click', function () { sortBy(th); });
    });
  }

  wireSorting();
  drawCharts();
})();`;
