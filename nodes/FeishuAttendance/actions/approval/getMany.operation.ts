import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FeishuClient } from '../../transport';

// Placeholder: being implemented.
export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	_items: INodeExecutionData[],
	_client: FeishuClient,
): Promise<INodeExecutionData[]> {
	throw new NodeOperationError(this.getNode(), 'This operation is not available yet');
}
