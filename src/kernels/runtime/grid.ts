// Dispatch grid helpers. A 1-D problem of n items is folded into x·y workgroups when it needs
// more than the per-dimension limit; kernels recover the flat index as
//   i = gid.x + gid.y * (num_workgroups.x * WG)
// so the same WGSL serves every size.

/** Workgroups for n items at `wgSize` items per workgroup, folded into 2-D past the limit. */
export function grid1d(n: number, wgSize: number, maxPerDim = 65535): [number, number, number] {
  const groups = Math.max(1, Math.ceil(n / wgSize));
  if (groups <= maxPerDim) return [groups, 1, 1];
  const y = Math.ceil(groups / maxPerDim);
  return [Math.ceil(groups / y), y, 1];
}
