import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { LATEST_PROTOCOL_VERSION } from '@modelcontextprotocol/sdk/types.js';
import { MCP_TOOLS } from '@lookout/catalog';
import { describe, expect, it } from 'vitest';
import { MCP_CLIENT_METHODS, OTHER, spanMethodName, spanProtocolVersion, spanToolName } from './mcp-span-names.ts';
import { registerTools, type ToolDeps } from './tools/index.ts';

describe('bounded names on MCP spans', () => {
  it('keeps the MCP spec methods a client sends, and folds anything else into _OTHER', () => {
    for (const method of ['initialize', 'notifications/initialized', 'ping', 'tools/list', 'tools/call', 'resources/read', 'notifications/cancelled']) {
      expect(spanMethodName(method)).toBe(method);
    }
    expect(MCP_CLIENT_METHODS.has('sampling/createMessage')).toBe(false); // a server-to-client request
    for (const method of ['tools/call2', 'sk-ant-api03-secretsecretsecretsecret', '', 'x'.repeat(10_000)]) expect(spanMethodName(method)).toBe(OTHER);
  });

  it('keeps registered tools and protocol versions the SDK speaks, else _OTHER', () => {
    expect(spanToolName('review_diff')).toBe('review_diff');
    expect(spanToolName('ghp_000000000000000000000000000000000000')).toBe(OTHER);
    expect(spanProtocolVersion(LATEST_PROTOCOL_VERSION)).toBe(LATEST_PROTOCOL_VERSION);
    expect(spanProtocolVersion('2099-01-01 AKIAIOSFODNN7EXAMPLE')).toBe(OTHER);
  });

  it('knows exactly the tools the server registers (the catalog list)', async () => {
    const server = new McpServer({ name: 'test', version: '0' }, { capabilities: { tools: {} } });
    registerTools(server, {} as ToolDeps, { keyId: '0000000000000000' });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await server.connect(serverSide);
    const client = new Client({ name: 'test', version: '0' });
    await client.connect(clientSide);
    const { tools } = await client.listTools();
    await client.close();
    expect(tools.map((tool) => tool.name).sort()).toEqual([...MCP_TOOLS].sort());
  });
});
