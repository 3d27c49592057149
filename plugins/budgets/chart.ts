// A budget's last periods as a server-rendered SVG bar chart: one bar per period (spent), a tick for
// what was available, over-budget bars in red. Plain markup: works as an inline <svg> and as an
// image (GET /:id/history.svg), with a <title> and <desc> for screen readers.
import { formatAmount } from './money.ts';

export type ChartPeriod = { label: string; spent: string; available: string };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function historyChart(periods: ChartPeriod[], opts: { title: string; currency: string; width?: number; height?: number }): string {
  const width = opts.width ?? 360;
  const height = opts.height ?? 140;
  const top = 8;
  const bottom = 22; // room for labels
  const plot = height - top - bottom;
  const n = Math.max(periods.length, 1);
  const slot = width / n;
  const bar = Math.max(4, Math.min(22, slot * 0.6));
  // Display scale only: the figures in the labels stay exact strings.
  const max = Math.max(1, ...periods.flatMap((p) => [Number(p.spent), Number(p.available)]));
  const y = (v: number) => top + plot - (Math.max(0, v) / max) * plot;
  const parts: string[] = [];
  periods.forEach((p, i) => {
    const spent = Number(p.spent);
    const available = Number(p.available);
    const x = i * slot + (slot - bar) / 2;
    const over = spent > available;
    const h = Math.max(0, top + plot - y(spent));
    // "of -300.00" says nothing: a period whose carried debt ate the budget had nothing available.
    const tip = available > 0
      ? `${p.label}: spent ${formatAmount(p.spent)} of ${formatAmount(p.available)} ${opts.currency}`
      : `${p.label}: spent ${formatAmount(p.spent)} ${opts.currency}, nothing available (${formatAmount(p.available)} after what carried over)`;
    parts.push(`<g><title>${esc(tip)}</title>`
      + `<rect x="${x.toFixed(1)}" y="${y(spent).toFixed(1)}" width="${bar.toFixed(1)}" height="${h.toFixed(1)}" class="${over ? 'bar over' : 'bar'}" fill="${over ? '#c62828' : '#1e88e5'}"/>`
      + `<line x1="${(x - 3).toFixed(1)}" x2="${(x + bar + 3).toFixed(1)}" y1="${y(available).toFixed(1)}" y2="${y(available).toFixed(1)}" stroke="#555" stroke-width="2" class="available"/>`
      + `</g>`);
    if (n <= 12 || i % Math.ceil(n / 12) === 0) {
      const short = p.label.split(' ')[0]; // "Mar 2024" → "Mar", "Q1 2025" → "Q1"
      parts.push(`<text x="${(i * slot + slot / 2).toFixed(1)}" y="${height - 6}" text-anchor="middle" font-size="10" fill="#777">${esc(short)}</text>`);
    }
  });
  const desc = periods.map((p) => `${p.label}: ${formatAmount(p.spent)} of ${formatAmount(p.available)}`).join('; ');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" class="budget-history">`
    + `<title>${esc(opts.title)}</title><desc>${esc(desc)}</desc>`
    + `<line x1="0" x2="${width}" y1="${top + plot}" y2="${top + plot}" stroke="#ccc"/>`
    + parts.join('')
    + `</svg>`;
}
