// Names on MCP spans are bounded sets, per the semantic conventions: a JSON-RPC method the MCP spec
// does not define, a tool this server does not register, or a protocol version the SDK does not
// speak becomes `_OTHER`. What a client writes there is its own free text (and has carried secrets),
// and as a span name or attribute it would also be unbounded cardinality.
import { ClientNotificationSchema, ClientRequestSchema, SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js';
import { MCP_TOOLS } from '@lookout/catalog';

export const OTHER = '_OTHER';

/** Every method a client may send per the MCP spec, read from the SDK's own schemas. */
export const MCP_CLIENT_METHODS: ReadonlySet<string> = new Set([
  ...ClientRequestSchema.options.map((schema) => schema.shape.method.value),
  ...ClientNotificationSchema.options.map((schema) => schema.shape.method.value),
]);
// The catalog lists the tools registerTools() registers; a test keeps the two the same.
const TOOLS: ReadonlySet<string> = new Set(MCP_TOOLS);
const PROTOCOL_VERSIONS: ReadonlySet<string> = new Set(SUPPORTED_PROTOCOL_VERSIONS);

export const spanMethodName = (method: string): string => (MCP_CLIENT_METHODS.has(method) ? method : OTHER);
export const spanToolName = (name: string): string => (TOOLS.has(name) ? name : OTHER);
export const spanProtocolVersion = (version: string): string => (PROTOCOL_VERSIONS.has(version) ? version : OTHER);
