/**
 * Which type of the vendor's generated SDK (`@metorial/generated`) describes the answer, and the query,
 * of each of our operations: the SDK names them after its resource path (`sessions.errors.get` is
 * `SessionsErrorsGetOutput`, in `resources/sessions/errors/get.ts`). An SDK release that lacks one of
 * these simply has no sample for that operation.
 */
export interface CatalogEntry {
  /** Our operation id. */
  operationId: string;
  /** The SDK's type of the answer, such as `ProviderRunsGetOutput`. */
  output: string;
  /** The SDK's type of the query of a list, such as `ProviderRunsListQuery`. */
  query?: string;
  /** Where a source snapshot declares them, under its API version's folder (`sdk/gen/src/mt_…`). */
  file: string;
}

export const sdkCatalog: CatalogEntry[] = [
  { operationId: 'listProviderRuns', output: 'ProviderRunsListOutput', query: 'ProviderRunsListQuery', file: 'resources/provider-runs/list.ts' },
  { operationId: 'getProviderRun', output: 'ProviderRunsGetOutput', file: 'resources/provider-runs/get.ts' },
  { operationId: 'getProviderRunLogs', output: 'ProviderRunsGetLogsOutput', file: 'resources/provider-runs/get-logs.ts' },
  {
    operationId: 'listSessionProviderRuns',
    output: 'SessionsProviderRunsListOutput',
    query: 'SessionsProviderRunsListQuery',
    file: 'resources/sessions/provider-runs/list.ts',
  },
  { operationId: 'getSessionProviderRun', output: 'SessionsProviderRunsGetOutput', file: 'resources/sessions/provider-runs/get.ts' },
  { operationId: 'getSessionProviderRunLogs', output: 'SessionsProviderRunsGetLogsOutput', file: 'resources/sessions/provider-runs/get-logs.ts' },
  { operationId: 'listServerRuns', output: 'ServerRunsListOutput', query: 'ServerRunsListQuery', file: 'resources/server-runs/list.ts' },
  { operationId: 'getServerRun', output: 'ServerRunsGetOutput', file: 'resources/server-runs/get.ts' },
  {
    operationId: 'listSessionTemplateProviders',
    output: 'SessionTemplatesProvidersListOutput',
    query: 'SessionTemplatesProvidersListQuery',
    file: 'resources/session-templates/providers/list.ts',
  },
  { operationId: 'getSessionTemplateProvider', output: 'SessionTemplatesProvidersGetOutput', file: 'resources/session-templates/providers/get.ts' },
  { operationId: 'createSessionTemplateProvider', output: 'SessionTemplatesProvidersCreateOutput', file: 'resources/session-templates/providers/create.ts' },
  { operationId: 'updateSessionTemplateProvider', output: 'SessionTemplatesProvidersUpdateOutput', file: 'resources/session-templates/providers/update.ts' },
  { operationId: 'deleteSessionTemplateProvider', output: 'SessionTemplatesProvidersDeleteOutput', file: 'resources/session-templates/providers/delete.ts' },
  { operationId: 'listAllSessionErrors', output: 'SessionErrorsListOutput', query: 'SessionErrorsListQuery', file: 'resources/session-errors/list.ts' },
  { operationId: 'listSessionErrors', output: 'SessionsErrorsListOutput', query: 'SessionsErrorsListQuery', file: 'resources/sessions/errors/list.ts' },
  { operationId: 'getSessionError', output: 'SessionsErrorsGetOutput', file: 'resources/sessions/errors/get.ts' },
];

/** The error every operation may answer: the body `MetorialSDKError` reads (`@metorial/util-endpoint`). */
export const sdkErrorType = { name: 'MetorialSDKError', member: 'response', packageFile: 'packages/util-endpoint/src/error.ts' } as const;
