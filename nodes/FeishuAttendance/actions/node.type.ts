import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { FeishuClient } from '../transport';

/** What every `<operation>.operation.ts` exports. */
export interface FeishuOperation {
	description: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		items: INodeExecutionData[],
		client: FeishuClient,
	): Promise<INodeExecutionData[]>;
}
