// Work the main thread does for the charts, counted rather than timed: the redraw jobs each
// slice of the redraw queue ran, and the points each redraw handed to its plot. A count is
// the same on an idle machine and a busy one, so the end-to-end tests bound these, while
// wall-clock task lengths (which a loaded machine stretches) are only measured and reported.
import { exposeForTests } from '../runs/test-hook';

export interface ChartWork {
  slices: number;
  jobs: number;
  maxJobsPerSlice: number;
  redraws: number;
  /** Most points (per series) one redraw drew, and the widest chart (CSS px) it drew at. */
  maxPointsPerRedraw: number;
  maxWidth: number;
}

const EMPTY: ChartWork = {
  slices: 0,
  jobs: 0,
  maxJobsPerSlice: 0,
  redraws: 0,
  maxPointsPerRedraw: 0,
  maxWidth: 0,
};

export const chartWork: ChartWork = { ...EMPTY };

export function noteSlice(jobs: number): void {
  chartWork.slices++;
  chartWork.jobs += jobs;
  chartWork.maxJobsPerSlice = Math.max(chartWork.maxJobsPerSlice, jobs);
}

export function noteRedraw(points: number, width: number): void {
  chartWork.redraws++;
  chartWork.maxPointsPerRedraw = Math.max(chartWork.maxPointsPerRedraw, points);
  chartWork.maxWidth = Math.max(chartWork.maxWidth, width);
}

exposeForTests('charts', {
  work: chartWork,
  reset: () => Object.assign(chartWork, EMPTY),
});
