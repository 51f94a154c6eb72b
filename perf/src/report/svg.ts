/** Tiny inline-SVG charts: the report must open offline, so no chart library and no CDN. */

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
  /** Shown on hover (the line's <title>) after the name, e.g. a total. */
  note?: string;
}

/** Legend entries left to right, wrapping to a new row when the next would not fit. */
function legendLayout(names: string[], left: number, width: number): { at: Array<[number, number]>; rows: number } {
  const at: Array<[number, number]> = [];
  let x = left;
  let row = 0;
  for (const name of names) {
    const w = 24 + name.length * 6.2;
    if (x > left && x + w > width) {
      x = left;
      row++;
    }
    at.push([x, 8 + row * 16]);
    x += w;
  }
  return { at, rows: row + 1 };
}

const esc = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

export function lineChart(options: {
  title: string;
  series: Series[];
  xLabel: string;
  yLabel: string;
  /** A fixed top of the y axis (a share: 100); else the data's, rounded up. */
  yMax?: number;
  width?: number;
  height?: number;
}): string {
  const width = options.width ?? 720;
  const height = options.height ?? 260;
  const legendAt = legendLayout(
    options.series.map((s) => s.name),
    56,
    width - 16,
  );
  const pad = { left: 56, right: 16, top: 12 + legendAt.rows * 16, bottom: 40 };
  const xs = options.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = options.series.flatMap((s) => s.points.map((p) => p[1]));
  const xMax = Math.max(1, ...xs);
  const yMax = options.yMax ?? niceMax(Math.max(0, ...ys));
  const x = (v: number) => pad.left + (v / xMax) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / yMax) * (height - pad.top - pad.bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (f) =>
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(f * yMax)}" y2="${y(f * yMax)}" stroke="#e5e7eb"/><text x="${pad.left - 6}" y="${y(f * yMax) + 4}" text-anchor="end">${+(f * yMax).toFixed(1)}</text>`,
    )
    .join("");
  const xTicks = Array.from({ length: 6 }, (_, i) => (i * xMax) / 5)
    .map((v) => `<text x="${x(v)}" y="${height - pad.bottom + 16}" text-anchor="middle">${+v.toFixed(0)}</text>`)
    .join("");
  const lines = options.series
    .filter((s) => s.points.length > 0)
    .map(
      (s) =>
        `<polyline fill="none" stroke="${s.color}" stroke-width="2" data-series="${esc(s.name)}" points="${s.points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(" ")}"><title>${esc(s.note ? `${s.name}: ${s.note}` : s.name)}</title></polyline>`,
    )
    .join("");
  const legend = options.series
    .map((s, i) => {
      const [lx, ly] = legendAt.at[i]!;
      return `<rect x="${lx.toFixed(1)}" y="${ly}" width="10" height="10" fill="${s.color}"/><text x="${(lx + 14).toFixed(1)}" y="${ly + 9}">${esc(s.name)}</text>`;
    })
    .join("");
  return `<figure><figcaption>${esc(options.title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(options.title)}">${grid}${xTicks}${lines}${legend}
<text x="${width / 2}" y="${height - 6}" text-anchor="middle">${esc(options.xLabel)}</text><text x="12" y="${height / 2}" transform="rotate(-90 12 ${height / 2})" text-anchor="middle">${esc(options.yLabel)}</text></svg></figure>`;
}

export function barChart(options: {
  title: string;
  bars: Array<{ label: string; value: number; color: string }>;
  unit?: string;
  width?: number;
}): string {
  const width = options.width ?? 720;
  const rowHeight = 22;
  const labelWidth = 260;
  const height = options.bars.length * rowHeight + 10;
  const max = Math.max(1, ...options.bars.map((b) => b.value));
  const rows = options.bars
    .map((bar, i) => {
      const w = (bar.value / max) * (width - labelWidth - 80);
      const top = 5 + i * rowHeight;
      return `<text x="${labelWidth - 6}" y="${top + 14}" text-anchor="end">${esc(bar.label)}</text><rect x="${labelWidth}" y="${top + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowHeight - 6}" fill="${bar.color}"/><text x="${labelWidth + w + 6}" y="${top + 14}">${bar.value}${options.unit ?? ""}</text>`;
    })
    .join("");
  return `<figure><figcaption>${esc(options.title)}</figcaption><svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${esc(options.title)}">${rows}</svg></figure>`;
}

export { esc };
