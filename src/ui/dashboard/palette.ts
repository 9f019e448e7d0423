// Series colours: one palette readable on light and dark backgrounds; a chart never draws
// more lines at once than it has colours (the reward chart groups its components).
export const PALETTE = [
  '#4c8dff',
  '#f28e2b',
  '#3fae5a',
  '#e15759',
  '#b07aa1',
  '#2fb3b3',
  '#d4a72c',
  '#9c755f',
] as const;
