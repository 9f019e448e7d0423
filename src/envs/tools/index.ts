// The toolbox of frozen tool agents: deterministic programs that return execution feedback,
// behind one call interface, plus the seeded tool-use task suites that exercise them.
//   runTool({ tool: 'knowledge', args: { subject: 'Japan', relation: 'capital' } })
//     -> { ok: true, result: 'Tokyo' }
//   generateToolTask('tools-multihop', seed) -> instruction, oracle chain, gold answer, level

export { calculate } from './calculator';
export { queryKnowledge, FACTS } from './knowledge';
export { readText, readTextWithFont, WORLD_FONT, type OcrFont } from './ocr';
export {
  TOOLS,
  formatToolCall,
  getTool,
  runTool,
  validateCall,
  type ArgSpec,
  type ToolContext,
  type ToolName,
  type ToolSpec,
} from './registry';
export { renderPictureScreen } from './screen';
export { TABLES, lookupTable } from './tables';
export {
  TOOL_TASK_TEMPLATES,
  generateToolTask,
  levelOf,
  runChain,
  templatesFor,
  type ReferenceStep,
  type ToolLevel,
  type ToolSuite,
  type ToolTask,
} from './tasks';
export type { Box, Screenshot, ToolCall, ToolResult } from './types';
export { convertUnits, unitCatalogue } from './units';
