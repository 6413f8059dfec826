// Checks on a parsed POST /mcp body that the SDK does not make, done before anything processes it.

/** Deepest nesting of arrays and objects accepted in one JSON-RPC message (MCP messages need about 6). */
export const MAX_MESSAGE_DEPTH = 64;

/**
 * How deeply `value` nests, counted without recursion (and without going further than `limit + 1`):
 * a body nested thousands deep must not overflow the stack of the code meant to refuse it.
 */
export function nestingDepth(value: unknown, limit = MAX_MESSAGE_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop() as [unknown, number];
    if (item === null || typeof item !== 'object') continue;
    const level = depth + 1;
    if (level > deepest) deepest = level;
    if (level > limit) return level;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (child !== null && typeof child === 'object') stack.push([child, level]);
    }
  }
  return deepest;
}

/** The first message of a body nested deeper than MAX_MESSAGE_DEPTH, if any. */
export function tooDeepMessage(messages: readonly unknown[]): unknown {
  return messages.find((message) => nestingDepth(message) > MAX_MESSAGE_DEPTH);
}

/**
 * True when two requests of a batch share an id. JSON-RPC 2.0 answers each request by its id, so such a
 * batch cannot be answered one response per request (the transport kept one and dropped the rest).
 */
export function hasDuplicateIds(messages: readonly unknown[]): boolean {
  const seen = new Set<unknown>();
  for (const message of messages) {
    if (typeof message !== 'object' || message === null || !('method' in message) || !('id' in message)) continue;
    const { id } = message as { id: unknown };
    if (seen.has(id)) return true;
    seen.add(id);
  }
  return false;
}
