export { checkCompose, parseCompose, readVersions, splitImage, environmentOf, dependenciesOf, mountsOf, publishedPorts } from './compose.ts';
export type { ComposeCheckOptions, ComposeFile, ComposeService, Mount, Versions } from './compose.ts';
export { checkDatasources, parseDatasources, accountIdOf } from './datasources.ts';
export type { Datasource, DatasourceCheckOptions, DatasourceFile } from './datasources.ts';
export { checkStackParity, defaultContext, type ParityOptions } from './stack-parity.ts';
export { composeConfig, findComposeCli, type ComposeCli } from './docker-compose-cli.ts';
