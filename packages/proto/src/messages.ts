// Message and service types of pushdown.v1, re-exported from the generated files.
// `X` is what you send (fields optional), `X__Output` what you receive (defaults filled).
export type {
  BaseNodeClient,
  BaseNodeHandlers,
  BaseNodeDefinition,
} from './generated/pushdown/v1/BaseNode.js';
export type {
  CapabilitiesRequest,
  CapabilitiesRequest__Output,
} from './generated/pushdown/v1/CapabilitiesRequest.js';
export type {
  CapabilitiesResponse,
  CapabilitiesResponse__Output,
} from './generated/pushdown/v1/CapabilitiesResponse.js';
export type {
  DeleteObjectResponse,
  DeleteObjectResponse__Output,
} from './generated/pushdown/v1/DeleteObjectResponse.js';
export type { ExplainRequest, ExplainRequest__Output } from './generated/pushdown/v1/ExplainRequest.js';
export type { ExplainResponse, ExplainResponse__Output } from './generated/pushdown/v1/ExplainResponse.js';
export type {
  FragmentPlacement,
  FragmentPlacement__Output,
} from './generated/pushdown/v1/FragmentPlacement.js';
export type { GetObjectRequest, GetObjectRequest__Output } from './generated/pushdown/v1/GetObjectRequest.js';
export type {
  GetObjectResponse,
  GetObjectResponse__Output,
} from './generated/pushdown/v1/GetObjectResponse.js';
export type {
  IntermediaryClient,
  IntermediaryHandlers,
  IntermediaryDefinition,
} from './generated/pushdown/v1/Intermediary.js';
export type {
  ListObjectsRequest,
  ListObjectsRequest__Output,
} from './generated/pushdown/v1/ListObjectsRequest.js';
export type {
  ListObjectsResponse,
  ListObjectsResponse__Output,
} from './generated/pushdown/v1/ListObjectsResponse.js';
export type {
  ListTablesRequest,
  ListTablesRequest__Output,
} from './generated/pushdown/v1/ListTablesRequest.js';
export type {
  ListTablesResponse,
  ListTablesResponse__Output,
} from './generated/pushdown/v1/ListTablesResponse.js';
export type { NodeStats, NodeStats__Output } from './generated/pushdown/v1/NodeStats.js';
export type { ObjectInfo, ObjectInfo__Output } from './generated/pushdown/v1/ObjectInfo.js';
export type { ObjectRef, ObjectRef__Output } from './generated/pushdown/v1/ObjectRef.js';
export { Placement } from './generated/pushdown/v1/Placement.js';
export type { Placement__Output } from './generated/pushdown/v1/Placement.js';
export type { PluginInfo, PluginInfo__Output } from './generated/pushdown/v1/PluginInfo.js';
export type { PutObjectHeader, PutObjectHeader__Output } from './generated/pushdown/v1/PutObjectHeader.js';
export type { PutObjectRequest, PutObjectRequest__Output } from './generated/pushdown/v1/PutObjectRequest.js';
export type { QueryRequest, QueryRequest__Output } from './generated/pushdown/v1/QueryRequest.js';
export type { QueryResponse, QueryResponse__Output } from './generated/pushdown/v1/QueryResponse.js';
export type { QueryStats, QueryStats__Output } from './generated/pushdown/v1/QueryStats.js';
export { ResultFormat } from './generated/pushdown/v1/ResultFormat.js';
export type { ResultFormat__Output } from './generated/pushdown/v1/ResultFormat.js';
export type { ScanRequest, ScanRequest__Output } from './generated/pushdown/v1/ScanRequest.js';
export type { ScanResponse, ScanResponse__Output } from './generated/pushdown/v1/ScanResponse.js';
export type { ScanStats, ScanStats__Output } from './generated/pushdown/v1/ScanStats.js';
export type { StageStats, StageStats__Output } from './generated/pushdown/v1/StageStats.js';
export type { TableInfo, TableInfo__Output } from './generated/pushdown/v1/TableInfo.js';
// Plugins installed at runtime (BaseNode.InstallPlugin/RemovePlugin, Intermediary.InstallPlugin/ListPlugins/RemovePlugin).
export type {
  InstallPluginRequest,
  InstallPluginRequest__Output,
} from './generated/pushdown/v1/InstallPluginRequest.js';
export type {
  InstallPluginResponse,
  InstallPluginResponse__Output,
} from './generated/pushdown/v1/InstallPluginResponse.js';
export type {
  RemovePluginRequest,
  RemovePluginRequest__Output,
} from './generated/pushdown/v1/RemovePluginRequest.js';
export type {
  RemovePluginResponse,
  RemovePluginResponse__Output,
} from './generated/pushdown/v1/RemovePluginResponse.js';
export type {
  ClusterInstallPluginRequest,
  ClusterInstallPluginRequest__Output,
} from './generated/pushdown/v1/ClusterInstallPluginRequest.js';
export type {
  ClusterInstallPluginResponse,
  ClusterInstallPluginResponse__Output,
} from './generated/pushdown/v1/ClusterInstallPluginResponse.js';
export type {
  NodePluginInstall,
  NodePluginInstall__Output,
} from './generated/pushdown/v1/NodePluginInstall.js';
export type {
  ListPluginsRequest,
  ListPluginsRequest__Output,
} from './generated/pushdown/v1/ListPluginsRequest.js';
export type {
  ListPluginsResponse,
  ListPluginsResponse__Output,
} from './generated/pushdown/v1/ListPluginsResponse.js';
export type { ClusterPlugin, ClusterPlugin__Output } from './generated/pushdown/v1/ClusterPlugin.js';
export type {
  ClusterRemovePluginRequest,
  ClusterRemovePluginRequest__Output,
} from './generated/pushdown/v1/ClusterRemovePluginRequest.js';
export type {
  ClusterRemovePluginResponse,
  ClusterRemovePluginResponse__Output,
} from './generated/pushdown/v1/ClusterRemovePluginResponse.js';
