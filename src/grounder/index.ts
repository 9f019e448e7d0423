// The frozen GUI grounder (DESIGN.md §2, issue 5 §1): a small model that TraceLab trains once
// on grounding data from the world, exports to ONNX and runs in onnxruntime-web.
//
//   // Node (tests, CLI): src/grounder/node.ts
//   const g = await createNodeGrounder();                 // public/models/grounder.onnx, ORT wasm
//   const r = await g.ground(screen, render(obs).pixels, 'the Wi-Fi toggle');
//   // r = { elementId, point: {x, y} | null, confidence, scores, rawPoint }
//   // Browser: src/workers/grounder.worker.ts (comlink: init(), ground(...)).
//   // screen = { width, height, elements: screenElements(obs.elements) } (no app keys).
//
// Files: config (sizes), features (what the model sees), data (grounding triples from oracle
// episodes), examples (packing), model (forward/backward over Backend ops), train, onnx-export,
// model-file (reading a .onnx back), runner (onnxruntime-web), backend-grounder (our forward),
// card (the data card). Train and export: `npm run train:grounder`.
export * from './agent';
export * from './config';
export * from './features';
export * from './data';
export * from './examples';
export * from './model';
export * from './train';
export * from './onnx-export';
export * from './model-file';
export * from './runner';
export * from './backend-grounder';
