// WebGPU flag values, spelled out so the runtime works without WebGPU globals installed
// (in Node the `webgpu` package hands us a GPU object; the globals are optional there).
export const BufferUsage = {
  MAP_READ: 0x0001,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001 } as const;
