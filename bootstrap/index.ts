/**
 * Pulumi program: `pulumi up` in this folder deploys one environment in the
 * operator manual's order. See README.md.
 */
import { deployStages, readConfig } from './deploy';

const deployed = deployStages(readConfig());

export const namespace = deployed.namespace;
export const stages = deployed.stages;
