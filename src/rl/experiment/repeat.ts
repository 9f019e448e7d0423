// The repeat rate lives with the reward (reward/repeat.ts); the experiment reads it from there.
export { repeatRate } from '../reward/repeat';
