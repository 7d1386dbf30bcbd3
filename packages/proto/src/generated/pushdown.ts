import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BaseNodeClient as _pushdown_v1_BaseNodeClient, BaseNodeDefinition as _pushdown_v1_BaseNodeDefinition } from './pushdown/v1/BaseNode.js';
import type { CapabilitiesRequest as _pushdown_v1_CapabilitiesRequest, CapabilitiesRequest__Output as _pushdown_v1_CapabilitiesRequest__Output } from './pushdown/v1/CapabilitiesRequest.js';
import type { CapabilitiesResponse as _pushdown_v1_CapabilitiesResponse, CapabilitiesResponse__Output as _pushdown_v1_CapabilitiesResponse__Output } from './pushdown/v1/CapabilitiesResponse.js';
import type { ClusterInstallPluginRequest as _pushdown_v1_ClusterInstallPluginRequest, ClusterInstallPluginRequest__Output as _pushdown_v1_ClusterInstallPluginRequest__Output } from './pushdown/v1/ClusterInstallPluginRequest.js';
import type { ClusterInstallPluginResponse as _pushdown_v1_ClusterInstallPluginResponse, ClusterInstallPluginResponse__Output as _pushdown_v1_ClusterInstallPluginResponse__Output } from './pushdown/v1/ClusterInstallPluginResponse.js';
import type { ClusterPlugin as _pushdown_v1_ClusterPlugin, ClusterPlugin__Output as _pushdown_v1_ClusterPlugin__Output } from './pushdown/v1/ClusterPlugin.js';
import type { ClusterRemovePluginRequest as _pushdown_v1_ClusterRemovePluginRequest, ClusterRemovePluginRequest__Output as _pushdown_v1_ClusterRemovePluginRequest__Output } from './pushdown/v1/ClusterRemovePluginRequest.js';
import type { ClusterRemovePluginResponse as _pushdown_v1_ClusterRemovePluginResponse, ClusterRemovePluginResponse__Output as _pushdown_v1_ClusterRemovePluginResponse__Output } from './pushdown/v1/ClusterRemovePluginResponse.js';
import type { DeleteObjectResponse as _pushdown_v1_DeleteObjectResponse, DeleteObjectResponse__Output as _pushdown_v1_DeleteObjectResponse__Output } from './pushdown/v1/DeleteObjectResponse.js';
import type { ExplainRequest as _pushdown_v1_ExplainRequest, ExplainRequest__Output as _pushdown_v1_ExplainRequest__Output } from './pushdown/v1/ExplainRequest.js';
import type { ExplainResponse as _pushdown_v1_ExplainResponse, ExplainResponse__Output as _pushdown_v1_ExplainResponse__Output } from './pushdown/v1/ExplainResponse.js';
import type { FragmentPlacement as _pushdown_v1_FragmentPlacement, FragmentPlacement__Output as _pushdown_v1_FragmentPlacement__Output } from './pushdown/v1/FragmentPlacement.js';
import type { GetObjectRequest as _pushdown_v1_GetObjectRequest, GetObjectRequest__Output as _pushdown_v1_GetObjectRequest__Output } from './pushdown/v1/GetObjectRequest.js';
import type { GetObjectResponse as _pushdown_v1_GetObjectResponse, GetObjectResponse__Output as _pushdown_v1_GetObjectResponse__Output } from './pushdown/v1/GetObjectResponse.js';
import type { InstallPluginRequest as _pushdown_v1_InstallPluginRequest, InstallPluginRequest__Output as _pushdown_v1_InstallPluginRequest__Output } from './pushdown/v1/InstallPluginRequest.js';
import type { InstallPluginResponse as _pushdown_v1_InstallPluginResponse, InstallPluginResponse__Output as _pushdown_v1_InstallPluginResponse__Output } from './pushdown/v1/InstallPluginResponse.js';
import type { IntermediaryClient as _pushdown_v1_IntermediaryClient, IntermediaryDefinition as _pushdown_v1_IntermediaryDefinition } from './pushdown/v1/Intermediary.js';
import type { ListObjectsRequest as _pushdown_v1_ListObjectsRequest, ListObjectsRequest__Output as _pushdown_v1_ListObjectsRequest__Output } from './pushdown/v1/ListObjectsRequest.js';
import type { ListObjectsResponse as _pushdown_v1_ListObjectsResponse, ListObjectsResponse__Output as _pushdown_v1_ListObjectsResponse__Output } from './pushdown/v1/ListObjectsResponse.js';
import type { ListPluginsRequest as _pushdown_v1_ListPluginsRequest, ListPluginsRequest__Output as _pushdown_v1_ListPluginsRequest__Output } from './pushdown/v1/ListPluginsRequest.js';
import type { ListPluginsResponse as _pushdown_v1_ListPluginsResponse, ListPluginsResponse__Output as _pushdown_v1_ListPluginsResponse__Output } from './pushdown/v1/ListPluginsResponse.js';
import type { ListTablesRequest as _pushdown_v1_ListTablesRequest, ListTablesRequest__Output as _pushdown_v1_ListTablesRequest__Output } from './pushdown/v1/ListTablesRequest.js';
import type { ListTablesResponse as _pushdown_v1_ListTablesResponse, ListTablesResponse__Output as _pushdown_v1_ListTablesResponse__Output } from './pushdown/v1/ListTablesResponse.js';
import type { NodePluginInstall as _pushdown_v1_NodePluginInstall, NodePluginInstall__Output as _pushdown_v1_NodePluginInstall__Output } from './pushdown/v1/NodePluginInstall.js';
import type { NodeStats as _pushdown_v1_NodeStats, NodeStats__Output as _pushdown_v1_NodeStats__Output } from './pushdown/v1/NodeStats.js';
import type { ObjectInfo as _pushdown_v1_ObjectInfo, ObjectInfo__Output as _pushdown_v1_ObjectInfo__Output } from './pushdown/v1/ObjectInfo.js';
import type { ObjectRef as _pushdown_v1_ObjectRef, ObjectRef__Output as _pushdown_v1_ObjectRef__Output } from './pushdown/v1/ObjectRef.js';
import type { PluginInfo as _pushdown_v1_PluginInfo, PluginInfo__Output as _pushdown_v1_PluginInfo__Output } from './pushdown/v1/PluginInfo.js';
import type { PutObjectHeader as _pushdown_v1_PutObjectHeader, PutObjectHeader__Output as _pushdown_v1_PutObjectHeader__Output } from './pushdown/v1/PutObjectHeader.js';
import type { PutObjectRequest as _pushdown_v1_PutObjectRequest, PutObjectRequest__Output as _pushdown_v1_PutObjectRequest__Output } from './pushdown/v1/PutObjectRequest.js';
import type { QueryRequest as _pushdown_v1_QueryRequest, QueryRequest__Output as _pushdown_v1_QueryRequest__Output } from './pushdown/v1/QueryRequest.js';
import type { QueryResponse as _pushdown_v1_QueryResponse, QueryResponse__Output as _pushdown_v1_QueryResponse__Output } from './pushdown/v1/QueryResponse.js';
import type { QueryStats as _pushdown_v1_QueryStats, QueryStats__Output as _pushdown_v1_QueryStats__Output } from './pushdown/v1/QueryStats.js';
import type { RemovePluginRequest as _pushdown_v1_RemovePluginRequest, RemovePluginRequest__Output as _pushdown_v1_RemovePluginRequest__Output } from './pushdown/v1/RemovePluginRequest.js';
import type { RemovePluginResponse as _pushdown_v1_RemovePluginResponse, RemovePluginResponse__Output as _pushdown_v1_RemovePluginResponse__Output } from './pushdown/v1/RemovePluginResponse.js';
import type { ScanRequest as _pushdown_v1_ScanRequest, ScanRequest__Output as _pushdown_v1_ScanRequest__Output } from './pushdown/v1/ScanRequest.js';
import type { ScanResponse as _pushdown_v1_ScanResponse, ScanResponse__Output as _pushdown_v1_ScanResponse__Output } from './pushdown/v1/ScanResponse.js';
import type { ScanStats as _pushdown_v1_ScanStats, ScanStats__Output as _pushdown_v1_ScanStats__Output } from './pushdown/v1/ScanStats.js';
import type { StageStats as _pushdown_v1_StageStats, StageStats__Output as _pushdown_v1_StageStats__Output } from './pushdown/v1/StageStats.js';
import type { TableInfo as _pushdown_v1_TableInfo, TableInfo__Output as _pushdown_v1_TableInfo__Output } from './pushdown/v1/TableInfo.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  pushdown: {
    v1: {
      BaseNode: SubtypeConstructor<typeof grpc.Client, _pushdown_v1_BaseNodeClient> & { service: _pushdown_v1_BaseNodeDefinition }
      CapabilitiesRequest: MessageTypeDefinition<_pushdown_v1_CapabilitiesRequest, _pushdown_v1_CapabilitiesRequest__Output>
      CapabilitiesResponse: MessageTypeDefinition<_pushdown_v1_CapabilitiesResponse, _pushdown_v1_CapabilitiesResponse__Output>
      ClusterInstallPluginRequest: MessageTypeDefinition<_pushdown_v1_ClusterInstallPluginRequest, _pushdown_v1_ClusterInstallPluginRequest__Output>
      ClusterInstallPluginResponse: MessageTypeDefinition<_pushdown_v1_ClusterInstallPluginResponse, _pushdown_v1_ClusterInstallPluginResponse__Output>
      ClusterPlugin: MessageTypeDefinition<_pushdown_v1_ClusterPlugin, _pushdown_v1_ClusterPlugin__Output>
      ClusterRemovePluginRequest: MessageTypeDefinition<_pushdown_v1_ClusterRemovePluginRequest, _pushdown_v1_ClusterRemovePluginRequest__Output>
      ClusterRemovePluginResponse: MessageTypeDefinition<_pushdown_v1_ClusterRemovePluginResponse, _pushdown_v1_ClusterRemovePluginResponse__Output>
      DeleteObjectResponse: MessageTypeDefinition<_pushdown_v1_DeleteObjectResponse, _pushdown_v1_DeleteObjectResponse__Output>
      ExplainRequest: MessageTypeDefinition<_pushdown_v1_ExplainRequest, _pushdown_v1_ExplainRequest__Output>
      ExplainResponse: MessageTypeDefinition<_pushdown_v1_ExplainResponse, _pushdown_v1_ExplainResponse__Output>
      FragmentPlacement: MessageTypeDefinition<_pushdown_v1_FragmentPlacement, _pushdown_v1_FragmentPlacement__Output>
      GetObjectRequest: MessageTypeDefinition<_pushdown_v1_GetObjectRequest, _pushdown_v1_GetObjectRequest__Output>
      GetObjectResponse: MessageTypeDefinition<_pushdown_v1_GetObjectResponse, _pushdown_v1_GetObjectResponse__Output>
      InstallPluginRequest: MessageTypeDefinition<_pushdown_v1_InstallPluginRequest, _pushdown_v1_InstallPluginRequest__Output>
      InstallPluginResponse: MessageTypeDefinition<_pushdown_v1_InstallPluginResponse, _pushdown_v1_InstallPluginResponse__Output>
      Intermediary: SubtypeConstructor<typeof grpc.Client, _pushdown_v1_IntermediaryClient> & { service: _pushdown_v1_IntermediaryDefinition }
      ListObjectsRequest: MessageTypeDefinition<_pushdown_v1_ListObjectsRequest, _pushdown_v1_ListObjectsRequest__Output>
      ListObjectsResponse: MessageTypeDefinition<_pushdown_v1_ListObjectsResponse, _pushdown_v1_ListObjectsResponse__Output>
      ListPluginsRequest: MessageTypeDefinition<_pushdown_v1_ListPluginsRequest, _pushdown_v1_ListPluginsRequest__Output>
      ListPluginsResponse: MessageTypeDefinition<_pushdown_v1_ListPluginsResponse, _pushdown_v1_ListPluginsResponse__Output>
      ListTablesRequest: MessageTypeDefinition<_pushdown_v1_ListTablesRequest, _pushdown_v1_ListTablesRequest__Output>
      ListTablesResponse: MessageTypeDefinition<_pushdown_v1_ListTablesResponse, _pushdown_v1_ListTablesResponse__Output>
      NodePluginInstall: MessageTypeDefinition<_pushdown_v1_NodePluginInstall, _pushdown_v1_NodePluginInstall__Output>
      NodeStats: MessageTypeDefinition<_pushdown_v1_NodeStats, _pushdown_v1_NodeStats__Output>
      ObjectInfo: MessageTypeDefinition<_pushdown_v1_ObjectInfo, _pushdown_v1_ObjectInfo__Output>
      ObjectRef: MessageTypeDefinition<_pushdown_v1_ObjectRef, _pushdown_v1_ObjectRef__Output>
      Placement: EnumTypeDefinition
      PluginInfo: MessageTypeDefinition<_pushdown_v1_PluginInfo, _pushdown_v1_PluginInfo__Output>
      PutObjectHeader: MessageTypeDefinition<_pushdown_v1_PutObjectHeader, _pushdown_v1_PutObjectHeader__Output>
      PutObjectRequest: MessageTypeDefinition<_pushdown_v1_PutObjectRequest, _pushdown_v1_PutObjectRequest__Output>
      QueryRequest: MessageTypeDefinition<_pushdown_v1_QueryRequest, _pushdown_v1_QueryRequest__Output>
      QueryResponse: MessageTypeDefinition<_pushdown_v1_QueryResponse, _pushdown_v1_QueryResponse__Output>
      QueryStats: MessageTypeDefinition<_pushdown_v1_QueryStats, _pushdown_v1_QueryStats__Output>
      RemovePluginRequest: MessageTypeDefinition<_pushdown_v1_RemovePluginRequest, _pushdown_v1_RemovePluginRequest__Output>
      RemovePluginResponse: MessageTypeDefinition<_pushdown_v1_RemovePluginResponse, _pushdown_v1_RemovePluginResponse__Output>
      ResultFormat: EnumTypeDefinition
      ScanRequest: MessageTypeDefinition<_pushdown_v1_ScanRequest, _pushdown_v1_ScanRequest__Output>
      ScanResponse: MessageTypeDefinition<_pushdown_v1_ScanResponse, _pushdown_v1_ScanResponse__Output>
      ScanStats: MessageTypeDefinition<_pushdown_v1_ScanStats, _pushdown_v1_ScanStats__Output>
      StageStats: MessageTypeDefinition<_pushdown_v1_StageStats, _pushdown_v1_StageStats__Output>
      TableInfo: MessageTypeDefinition<_pushdown_v1_TableInfo, _pushdown_v1_TableInfo__Output>
    }
  }
}

