import { fail, type Box, type Screenshot, type ToolResult } from './types';
export function readText(_s: Screenshot, _b: Box): ToolResult {
  return fail('todo');
}
