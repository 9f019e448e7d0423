// The World gallery's oracle: solving a task's reference trajectory searches the app's screens
// breadth-first (tens of milliseconds on a laptop, several times that on a phone), too long a
// task for the page's main thread as the view loads. The worker also observes and renders the
// screens; the page receives each as pixels (moved, not copied) and only draws it.
import { expose, transfer } from 'comlink';
import { galleryScreen, galleryTrajectory } from './gallery/screens';

const api = {
  trajectory(templateId: string, seed: number) {
    const t = galleryTrajectory(templateId, seed);
    return transfer(t, [t.first.frame.pixels.buffer]);
  },
  screen(templateId: string, seed: number, step: number) {
    const s = galleryScreen(templateId, seed, step);
    return transfer(s, [s.frame.pixels.buffer]);
  },
};

expose(api);
export type GalleryApi = typeof api;
