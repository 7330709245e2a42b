import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { timeZoneOptions } from '../descriptions/common';

/**
 * The zones of the Timezone option, first the workflow's own (its value is empty). Loaded when the list is
 * opened, so that the node's description does not carry some 400 names for each operation that has the option.
 */
export async function getTimeZones(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	return timeZoneOptions();
}
