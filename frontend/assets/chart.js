// A small line chart on <canvas>: no library, redrawn at most once per frame. Points are placed by time,
// with a time axis below; a dashed line marks the session's open, and the line is green at or above the
// open, red below it (the same rule as the card's headline change).

import { formatTime } from './common.js';

const UP = '#2ecc71';
const DOWN = '#ff5c5c';
const AXIS = '#8b98a5';

export class LineChart {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas, { max = 300 } = {}) {
    this.canvas = canvas;
    this.max = max;
    this.points = []; // { t: epoch ms, v: value }
    this.open = null;
    this.pending = false;
    new ResizeObserver(() => this.schedule()).observe(canvas);
  }

  /** Adds a point; points older than the newest are ignored (the chart is drawn in time order). */
  push(t, v) {
    const last = this.points.at(-1);
    if (last && t < last.t) return;
    this.points.push({ t, v });
    if (this.points.length > this.max) this.points.shift();
    this.schedule();
  }

  /** The reference the colour and the dashed line follow. */
  setOpen(open) {
    if (this.open !== open) {
      this.open = open;
      this.schedule();
    }
  }

  schedule() {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw() {
    const { canvas, points } = this;
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth;
    const h = canvas.clientHeight;
    if (w === 0 || h === 0) return;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    canvas.dataset.points = String(points.length);
    if (points.length < 2) return;

    const values = points.map((p) => p.v);
    if (this.open !== null) values.push(this.open);
    let min = Math.min(...values);
    let max = Math.max(...values);
    if (max - min < 1e-9) { min -= 1; max += 1; }
    const pad = 6;
    const gutter = 46; // right-hand room for the min and max labels
    const axis = 16; // room below for the time labels
    const t0 = points[0].t;
    const t1 = Math.max(points.at(-1).t, t0 + 1);
    const x = (t) => pad + ((t - t0) / (t1 - t0)) * (w - pad - gutter);
    const y = (v) => pad + (1 - (v - min) / (max - min)) * (h - 2 * pad - axis);
    const bottom = h - axis;

    const last = points.at(-1).v;
    const rising = this.open === null ? last >= points[0].v : last >= this.open;
    const color = rising ? UP : DOWN;
    canvas.dataset.trend = rising ? 'up' : 'down';

    // Filled area under the line, then the line.
    ctx.beginPath();
    ctx.moveTo(x(points[0].t), y(points[0].v));
    for (const p of points) ctx.lineTo(x(p.t), y(p.v));
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = color;
    ctx.stroke();
    ctx.lineTo(x(points.at(-1).t), bottom);
    ctx.lineTo(x(points[0].t), bottom);
    ctx.closePath();
    ctx.fillStyle = rising ? 'rgba(46,204,113,.12)' : 'rgba(255,92,92,.12)';
    ctx.fill();

    // The session's open, dashed.
    if (this.open !== null) {
      ctx.save();
      ctx.setLineDash([3, 3]);
      ctx.strokeStyle = AXIS;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(pad, y(this.open));
      ctx.lineTo(w - gutter, y(this.open));
      ctx.stroke();
      ctx.restore();
    }

    // Min and max labels, then the time axis: a few labels spread over the span.
    ctx.fillStyle = AXIS;
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.fillText(max.toFixed(2), w - 2, pad + 8);
    ctx.fillText(min.toFixed(2), w - 2, bottom - 2);
    ctx.strokeStyle = '#2c3640';
    ctx.beginPath();
    ctx.moveTo(pad, bottom + 0.5);
    ctx.lineTo(w - gutter, bottom + 0.5);
    ctx.stroke();
    const labels = Math.max(2, Math.min(4, Math.floor((w - gutter) / 70)));
    ctx.textAlign = 'center';
    let drawn = 0;
    for (let i = 0; i < labels; i++) {
      const t = t0 + ((t1 - t0) * i) / (labels - 1);
      const lx = Math.min(Math.max(x(t), pad + 22), w - gutter - 22);
      ctx.fillText(formatTime(t), lx, h - 3);
      drawn++;
    }
    canvas.dataset.timeLabels = String(drawn);
    canvas.dataset.span = String(t1 - t0);
  }
}
