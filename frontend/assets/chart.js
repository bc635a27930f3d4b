// A small line chart on <canvas>: no library, redrawn at most once per frame.

export class LineChart {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas, { max = 300 } = {}) {
    this.canvas = canvas;
    this.max = max;
    this.values = [];
    this.pending = false;
    new ResizeObserver(() => this.schedule()).observe(canvas);
  }

  push(value) {
    this.values.push(value);
    if (this.values.length > this.max) this.values.shift();
    this.schedule();
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
    const { canvas, values } = this;
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
    canvas.dataset.points = String(values.length);
    if (values.length < 2) return;

    let min = Math.min(...values);
    let max = Math.max(...values);
    if (max - min < 1e-9) { min -= 1; max += 1; }
    const pad = 6;
    const gutter = 46; // right-hand room for the min and max labels
    // The line spans the width; once `max` points are kept, it scrolls to the left.
    const x = (i) => pad + (i / (values.length - 1)) * (w - pad - gutter);
    const y = (v) => pad + (1 - (v - min) / (max - min)) * (h - 2 * pad);

    const rising = values[values.length - 1] >= values[0];
    const color = rising ? '#2ecc71' : '#ff5c5c';

    // Filled area under the line, then the line.
    ctx.beginPath();
    ctx.moveTo(x(0), y(values[0]));
    for (let i = 1; i < values.length; i++) ctx.lineTo(x(i), y(values[i]));
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = color;
    ctx.stroke();
    ctx.lineTo(x(values.length - 1), h);
    ctx.lineTo(x(0), h);
    ctx.closePath();
    ctx.fillStyle = rising ? 'rgba(46,204,113,.12)' : 'rgba(255,92,92,.12)';
    ctx.fill();

    // Min and max labels.
    ctx.fillStyle = '#8b98a5';
    ctx.font = '10px system-ui, sans-serif';
    ctx.textAlign = 'right';
    ctx.fillText(max.toFixed(2), w - 2, pad + 8);
    ctx.fillText(min.toFixed(2), w - 2, h - pad);
  }
}
