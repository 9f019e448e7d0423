// Drawing one step of a recorded agent episode: the gallery's frame (screenshot upscaled, with
// the element marks) and on top of it what the agent thought and did —
//   - the reference's target box (green, dashed): where the oracle's next step acts;
//   - the forecast as numbered ghost steps (magenta rings) where each step grounds on this
//     screen, later steps drawn first so step 1 sits on top;
//   - the executed first step (orange disc), or an orange badge naming it when it has no
//     point on the screen (typing, scrolling, back, a step that could not be executed);
//   - the grounder's click point (a yellow cross-hair).
import { render, type Observation } from '../../envs';
import type { AgentStep } from '../../rl/inspect';
import { drawFrame, STEP_RGB } from '../components/draw-frame';

/** Colours the e2e test looks for in the canvas pixels. */
export const GHOST_RGB = STEP_RGB;
export const EXECUTED_RGB: readonly [number, number, number] = [255, 120, 0];
export const TARGET_RGB: readonly [number, number, number] = [0, 190, 90];
export const CLICK_RGB: readonly [number, number, number] = [255, 215, 0];
const css = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;

export function drawAgentStep(
  canvas: HTMLCanvasElement,
  obs: Observation,
  step: AgentStep | null,
  scale: number,
): void {
  drawFrame(canvas, render(obs), obs, true, [], scale);
  const ctx = canvas.getContext('2d');
  if (!ctx || !step) return;
  const at = (v: number) => (v + 0.5) * scale;

  if (step.targetBox) {
    const b = step.targetBox;
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 3;
    ctx.strokeStyle = css(TARGET_RGB);
    ctx.strokeRect(b.x * scale - 2, b.y * scale - 2, b.w * scale + 4, b.h * scale + 4);
    ctx.setLineDash([]);
  }

  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  ctx.font = `bold ${Math.max(10, 4 * scale)}px system-ui, sans-serif`;
  for (let i = step.ghosts.length - 1; i >= 1; i--) {
    const g = step.ghosts[i];
    if (!g.point) continue;
    const [cx, cy] = [at(g.point.x), at(g.point.y)];
    ctx.beginPath();
    ctx.arc(cx, cy, 3.5 * scale, 0, 2 * Math.PI);
    ctx.setLineDash([4, 3]);
    ctx.lineWidth = 3;
    ctx.strokeStyle = css(GHOST_RGB);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.fillStyle = css(GHOST_RGB);
    ctx.fillText(String(g.k + 1), cx, cy + 1);
  }

  const first = step.ghosts[0];
  const point = step.grounding?.point ?? null;
  if (first && point && step.action) {
    const [cx, cy] = [at(point.x), at(point.y)];
    ctx.beginPath();
    ctx.arc(cx, cy, 4.5 * scale, 0, 2 * Math.PI);
    ctx.fillStyle = css(EXECUTED_RGB);
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#fff';
    ctx.stroke();
    ctx.fillStyle = '#fff';
    ctx.fillText('1', cx, cy + 1);
  } else if (first || step.error) {
    badge(ctx, canvas.width, scale, step.action ? `1 ${first?.text ?? ''}` : '1 ✕ not executed');
  }

  if (point) {
    const [cx, cy] = [at(point.x), at(point.y)];
    const r = 7 * scale;
    ctx.lineWidth = 2;
    ctx.strokeStyle = css(CLICK_RGB);
    ctx.beginPath();
    ctx.moveTo(cx - r, cy);
    ctx.lineTo(cx - r / 2, cy);
    ctx.moveTo(cx + r / 2, cy);
    ctx.lineTo(cx + r, cy);
    ctx.moveTo(cx, cy - r);
    ctx.lineTo(cx, cy - r / 2);
    ctx.moveTo(cx, cy + r / 2);
    ctx.lineTo(cx, cy + r);
    ctx.stroke();
  }
}

/** The executed step's name in the top-right corner, for steps without a point. */
function badge(ctx: CanvasRenderingContext2D, width: number, scale: number, text: string): void {
  const label = text.length > 34 ? `${text.slice(0, 33)}…` : text;
  ctx.font = `bold ${Math.max(10, 3.5 * scale)}px system-ui, sans-serif`;
  const w = ctx.measureText(label).width + 12;
  const h = 6 * scale;
  const x = width - w - 4;
  const y = 14 * scale;
  ctx.fillStyle = css(EXECUTED_RGB);
  ctx.fillRect(x, y, w, h);
  ctx.fillStyle = '#fff';
  ctx.textAlign = 'left';
  ctx.fillText(label, x + 6, y + h / 2 + 1);
}
