/**
 * ECS wire shapes (camelCase, as the ECS API names them).
 *
 * Timestamps (`createdAt`, `registeredAt`, `stoppedAt`, ...) are epoch MILLISECONDS in these
 * shapes and in the store; the HTTP layer converts them to epoch seconds with a fraction
 * (`1713177600.123`), as ECS's awsJson1.1 protocol writes them.
 */
import type { ContainerDefinitionShape } from '../supervisor/launch-plan.build.ts';

export interface Tag {
  key?: string;
  value?: string;
}

export interface ClusterSetting {
  name: 'containerInsights';
  value: string;
}

export interface CapacityProviderStrategyItem {
  capacityProvider: string;
  weight?: number;
  base?: number;
}

export interface Cluster {
  clusterArn: string;
  clusterName: string;
  status: 'ACTIVE' | 'PROVISIONING' | 'DEPROVISIONING' | 'FAILED' | 'INACTIVE';
  registeredContainerInstancesCount: number;
  runningTasksCount: number;
  pendingTasksCount: number;
  activeServicesCount: number;
  statistics: { name: string; value: string }[];
  tags: Tag[];
  settings: ClusterSetting[];
  capacityProviders: string[];
  defaultCapacityProviderStrategy: CapacityProviderStrategyItem[];
  configuration?: Record<string, unknown>;
  serviceConnectDefaults?: Record<string, unknown>;
  /** Capacity provider attachments; none for the Fargate providers, the only ones here. */
  attachments?: { id: string; type: string; status: string; details: unknown[] }[];
}

export interface ContainerDefinition extends ContainerDefinitionShape {
  name: string;
  image: string;
  essential?: boolean;
  portMappings?: { containerPort?: number; hostPort?: number; protocol?: string }[];
  secrets?: { name: string; valueFrom: string }[];
  startTimeout?: number;
  [member: string]: unknown;
}

export interface TaskDefinition {
  taskDefinitionArn: string;
  family: string;
  revision: number;
  containerDefinitions: ContainerDefinition[];
  taskRoleArn?: string;
  executionRoleArn?: string;
  networkMode?: string;
  volumes: unknown[];
  status: 'ACTIVE' | 'INACTIVE' | 'DELETE_IN_PROGRESS';
  requiresAttributes: { name: string }[];
  placementConstraints: unknown[];
  compatibilities: string[];
  requiresCompatibilities?: string[];
  cpu?: string;
  memory?: string;
  runtimePlatform?: { cpuArchitecture?: string; operatingSystemFamily?: string };
  ephemeralStorage?: { sizeInGiB: number };
  registeredAt: number;
  registeredBy: string;
  deregisteredAt?: number;
  [member: string]: unknown;
}

export interface NetworkConfiguration {
  awsvpcConfiguration?: {
    subnets?: string[];
    securityGroups?: string[];
    assignPublicIp?: string;
  };
}

export interface ContainerOverride {
  name?: string;
  command?: string[];
  environment?: { name?: string; value?: string }[];
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
}

export interface TaskOverride {
  containerOverrides?: ContainerOverride[];
  cpu?: string;
  memory?: string;
  taskRoleArn?: string;
  executionRoleArn?: string;
  ephemeralStorage?: { sizeInGiB: number };
  inferenceAcceleratorOverrides?: unknown[];
}

export interface Container {
  containerArn: string;
  taskArn: string;
  name: string;
  image: string;
  imageDigest?: string;
  runtimeId?: string;
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  exitCode?: number;
  reason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  cpu?: string;
  memory?: string;
  memoryReservation?: string;
  /** Present for awsvpc tasks; the address only once the engine has given the container one. */
  networkInterfaces: { attachmentId: string; privateIpv4Address?: string }[];
}

export interface Task {
  taskArn: string;
  clusterArn: string;
  taskDefinitionArn: string;
  launchType?: string;
  capacityProviderName?: string;
  platformVersion?: string;
  platformFamily?: string;
  cpu?: string;
  memory?: string;
  availabilityZone: string;
  group: string;
  startedBy?: string;
  desiredStatus: 'RUNNING' | 'STOPPED';
  lastStatus: string;
  connectivity?: string;
  connectivityAt?: number;
  createdAt: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  startedAt?: number;
  stoppingAt?: number;
  executionStoppedAt?: number;
  stoppedAt?: number;
  stopCode?: string;
  stoppedReason?: string;
  overrides: TaskOverride;
  /** e.g. `ecs.cpu-architecture` = `x86_64`, as Fargate reports it. */
  attributes?: { name: string; value?: string }[];
  attachments: {
    id: string;
    type: string;
    status: string;
    details: { name: string; value: string }[];
  }[];
  containers: Container[];
  tags: Tag[];
  enableExecuteCommand: boolean;
  ephemeralStorage?: { sizeInGiB: number };
  version: number;
}

export interface Failure {
  arn?: string;
  reason?: string;
  detail?: string;
}
