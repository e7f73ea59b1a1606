#!/usr/bin/env node
// Renders the panels of a Grafana dashboard JSON as a static HTML page filled with SAMPLE data, so the
// docs can show what the dashboard looks like without a Prometheus or a Grafana.
//
//   node render-html.mjs DASHBOARD.json > preview.html
//
// The layout (gridPos), titles, panel types, units, thresholds and legends come from the dashboard;
// the values are made up by a seeded generator per metric, and the page says so.
import { readFileSync } from 'node:fs';

const dashboardPath = process.argv[2];
if (!dashboardPath) {
  console.error('usage: node render-html.mjs DASHBOARD.json');
  process.exit(2);
}
const dashboard = JSON.parse(readFileSync(dashboardPath, 'utf8'));

const columnWidth = 1600 / 24;
const rowHeight = 30;
const points = 73; // 6 h at 5 min
const startMinutes = 6 * 60;
const palette = ['#73bf69', '#f2cc0c', '#5794f2', '#ff9830', '#b877d9', '#f2495c', '#8ab8ff', '#ffb357'];

// Sample label values; a real cluster has its own.
const samplePools = [
  { namespace: 'kube-system', pool: '192.168.20.0-24', window: 99, usage: 0.31, trend: 0.12 },
  { namespace: 'kube-system', pool: '10.56.0.0-22', window: 1022, usage: 0.78, trend: 0.16 },
  { namespace: 'kube-system', pool: 'fd00-10--120', window: 254, usage: 0.55, trend: -0.08 },
];
const sampleReasons = ['pod-deleted', 'orphaned-reservation'];
const sampleCodes = ['409', '429', '500'];

// Deterministic, so the committed picture only changes when the dashboard does.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function series(seed, f) {
  const next = random(seed);
  return Array.from({ length: points }, (_, i) => f(i / (points - 1), next));
}

const daily = (t) => 0.6 + 0.4 * Math.sin(Math.PI * (0.2 + 1.2 * t));

function poolUsage(pool, index) {
  return series(11 + index, (t, next) => Math.min(1, Math.max(0, pool.usage + pool.trend * t + 0.015 * (next() - 0.5))));
}

// One entry per series a target would return: its legend and its values.
function sampleSeries(target, panelIndex) {
  const expr = target.expr;
  const legend = (labels) => (target.legendFormat ?? '').replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => labels[name] ?? '');
  if (expr.includes('pool_usage_ratio')) {
    return samplePools.map((pool, i) => ({ name: legend(pool), values: poolUsage(pool, i) }));
  }
  if (expr.includes('allocations_free')) {
    return samplePools.map((pool, i) => ({ name: legend(pool), values: poolUsage(pool, i).map((u) => Math.round(pool.window * (1 - u))) }));
  }
  if (/histogram_quantile/.test(expr)) {
    const q = Number(/histogram_quantile\(([\d.]+)/.exec(expr)[1]);
    const base = (expr.includes('_add_') ? 0.011 : 0.006) * (q >= 0.99 ? 3.6 : 1);
    return [{ name: legend({}), values: series(panelIndex * 7 + q * 100, (t, next) => base * (1 + 0.25 * next() + (q >= 0.99 && next() > 0.93 ? 1.5 : 0))) }];
  }
  if (expr.includes('_duration_seconds_count')) {
    const scale = expr.includes('_add_') ? 4.2 : 3.9;
    return [{ name: legend({}), values: series(expr.includes('_add_') ? 21 : 22, (t, next) => scale * daily(t) * (0.9 + 0.2 * next())) }];
  }
  if (expr.includes('leaks_')) {
    return sampleReasons.map((reason, i) => ({
      name: legend({ reason }),
      values: series(31 + i, (t) => {
        const burst = i === 0 ? Math.max(0, 6 - 40 * Math.abs(t - 0.45)) : t > 0.7 ? 2 : 0;
        return Math.round(burst * (expr.includes('released') ? 0.95 : 1));
      }),
    }));
  }
  if (expr.includes('api_errors_total')) {
    return sampleCodes.map((code, i) => ({
      name: legend({ code }),
      values: series(41 + i, (t, next) => [0.04 * daily(t) * next(), t > 0.62 && t < 0.7 ? 0.3 * next() : 0, next() > 0.97 ? 0.02 : 0][i]),
    }));
  }
  if (/\bup\b/.test(expr)) {
    return [{ name: legend({}), values: series(51, () => 6) }];
  }
  throw new Error(`no sample data for ${expr}: add a generator to render-html.mjs`);
}

function format(value, unit) {
  switch (unit) {
    case 'percentunit':
      return `${(value * 100).toFixed(0)}%`;
    case 's':
      return value < 1 ? `${(value * 1000).toFixed(value < 0.01 ? 1 : 0)} ms` : `${value.toFixed(2)} s`;
    case 'reqps':
      return `${value < 1 ? value.toFixed(2) : value.toFixed(1)}/s`;
    default:
      return Number.isInteger(value) ? `${value}` : value.toFixed(1);
  }
}

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

function thresholdColor(value, thresholds) {
  let color = palette[0];
  for (const step of thresholds?.steps ?? []) {
    if (step.value === null || value >= step.value) {
      color = { green: '#73bf69', yellow: '#fade2a', red: '#f2495c' }[step.color] ?? step.color;
    }
  }
  return color;
}

// The next 1, 2 or 5 times a power of ten whose quarters are round too (axis lines at 0, 1/4, ... 1).
function niceCeiling(value) {
  if (!(value > 0)) {
    return 1;
  }
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 4, 8, 10].map((m) => m * power).find((m) => m >= value);
}

function timeseries(panel, width, height, all) {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const plot = { left: 64, right: 24, top: 8, bottom: 22 };
  const w = width - plot.left - plot.right;
  const h = height - plot.top - plot.bottom;
  const max = defaults.max ?? niceCeiling(Math.max(...all.flatMap((s) => s.values)) * 1.1);
  const min = defaults.min ?? 0;
  const x = (i) => plot.left + (w * i) / (points - 1);
  const y = (v) => plot.top + h - (h * (v - min)) / (max - min);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = min + f * (max - min);
    return `<line x1="${plot.left}" x2="${plot.left + w}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${plot.left - 6}" y="${y(v) + 4}" class="axis" text-anchor="end">${escape(format(v, defaults.unit))}</text>`;
  });
  const ticks = [0, 12, 24, 36, 48, 60, 72].map((i) => {
    const minutes = startMinutes + i * 5;
    const label = `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    return `<text x="${x(i)}" y="${plot.top + h + 16}" class="axis" text-anchor="middle">${label}</text>`;
  });
  const lines = all.map((s, k) => {
    const path = s.values.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    const color = palette[k % palette.length];
    return `<path d="${path}L${x(points - 1)},${y(min)}L${x(0)},${y(min)}Z" fill="${color}" opacity="0.10"/><path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`;
  });
  const svg = `<svg width="${width}" height="${height}">${grid.join('')}${ticks.join('')}${lines.join('')}</svg>`;
  const legend = all.map((s, k) => `<span class="key"><i style="background:${palette[k % palette.length]}"></i>${escape(s.name)}</span>`).join('');
  return `${svg}<div class="legend">${legend}</div>`;
}

function bargauge(panel, width, all) {
  const defaults = panel.fieldConfig?.defaults ?? {};
  const max = defaults.max ?? 1;
  return all
    .map((s) => {
      const value = s.values.at(-1);
      const color = thresholdColor(value, defaults.thresholds);
      const bar = Math.max(2, ((width - 360) * value) / max);
      return `<div class="bar"><span class="barname">${escape(s.name)}</span><span class="track" style="width:${width - 360}px"><span style="width:${bar}px;background:linear-gradient(90deg,#73bf6955,${color})"></span></span><span class="barvalue" style="color:${color}">${escape(format(value, defaults.unit))}</span></div>`;
    })
    .join('');
}

function stat(panel, all) {
  const defaults = panel.fieldConfig?.defaults ?? {};
  return `<div class="stats">${all
    .map((s) => {
      const value = s.values.at(-1);
      return `<div class="stat"><div class="statvalue" style="color:${thresholdColor(value, defaults.thresholds)}">${escape(format(value, defaults.unit))}</div><div class="statname">${escape(s.name)}</div></div>`;
    })
    .join('')}</div>`;
}

const panelsHtml = dashboard.panels.map((panel, index) => {
  const { x, y, w, h } = panel.gridPos;
  const width = w * columnWidth - 8;
  const height = h * rowHeight - 8;
  const all = panel.targets.flatMap((target) => sampleSeries(target, index));
  const body =
    panel.type === 'timeseries'
      ? timeseries(panel, width - 16, height - 36 - 24, all)
      : panel.type === 'bargauge'
        ? bargauge(panel, width - 16, all)
        : panel.type === 'stat'
          ? stat(panel, all)
          : (() => {
              throw new Error(`panel type ${panel.type} is not drawn by render-html.mjs`);
            })();
  return `<section class="panel" style="left:${x * columnWidth + 4}px;top:${y * rowHeight + 4}px;width:${width}px;height:${height}px"><h2>${escape(panel.title)}</h2>${body}</section>`;
});

const bottom = Math.max(...dashboard.panels.map((p) => p.gridPos.y + p.gridPos.h)) * rowHeight;
const variables = (dashboard.templating?.list ?? []).map((v) => `<span class="var">${escape(v.label ?? v.name)} <b>${v.type === 'datasource' ? 'Prometheus' : 'All'}</b></span>`).join('');

process.stdout.write(`<!doctype html>
<html><head><meta charset="utf-8"><title>${escape(dashboard.title)} (sample data)</title>
<style>
body{margin:0;background:#111217;color:#ccccdc;font:13px/1.3 "DejaVu Sans",Arial,sans-serif;width:1600px}
header{padding:10px 12px 6px}
h1{font-size:18px;margin:0 0 6px;color:#fff;font-weight:500}
.var{display:inline-block;background:#181b1f;border:1px solid #2c3235;padding:3px 8px;margin-right:6px;border-radius:2px}
.sample{float:right;background:#3d2e08;color:#fade2a;border:1px solid #8a6d12;padding:3px 8px;border-radius:2px}
main{position:relative;height:${bottom + 8}px}
.panel{position:absolute;background:#181b1f;border:1px solid #2c3235;border-radius:2px;padding:0 8px;box-sizing:border-box;overflow:hidden}
.panel h2{font-size:14px;font-weight:500;margin:8px 0 6px;color:#fff}
.grid{stroke:#2c3235}.axis{fill:#8e8e9e;font-size:11px}
.legend{font-size:12px}.key{margin-right:14px;white-space:nowrap}.key i{display:inline-block;width:14px;height:4px;margin-right:5px;vertical-align:middle}
.bar{display:flex;align-items:center;margin:14px 0}.barname{width:230px;overflow:hidden;white-space:nowrap}.track{background:#22252b;height:26px;display:inline-block}.track span{display:block;height:26px}.barvalue{width:110px;text-align:right;font-size:20px}
.stats{display:flex;gap:30px;justify-content:center;margin-top:50px}.stat{text-align:center}.statvalue{font-size:64px}.statname{font-size:14px}
</style></head><body>
<header><span class="sample">SAMPLE DATA: generated by eng/dashboard-preview, not from a cluster</span><h1>${escape(dashboard.title)}</h1>${variables}</header>
<main>${panelsHtml.join('\n')}</main>
</body></html>
`);
