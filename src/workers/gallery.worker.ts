// The World gallery's oracle: solving a task's reference trajectory searches the app's screens
// breadth-first (tens of milliseconds on a laptop, several times that on a phone), too long a
// task for the page's main thread as the view loads. The page draws the worlds it returns.
import { expose } from 'comlink';
import { referenceTrajectory } from './gallery/trajectory';

const api = { trajectory: referenceTrajectory };

expose(api);
export type GalleryApi = typeof api;
