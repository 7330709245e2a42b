import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { FeishuClient } from '../transport';
import * as approval from './approval';
import * as archiveReport from './archiveReport';
import * as attendanceGroup from './attendanceGroup';
import * as customApi from './customApi';
import * as facePhoto from './facePhoto';
import * as leaveBalance from './leaveBalance';
import type { FeishuOperation } from './node.type';
import * as punchFlow from './punchFlow';
import * as punchResult from './punchResult';
import * as remedy from './remedy';
import * as schedule from './schedule';
import * as shift from './shift';
import * as statistics from './statistics';
import { clientOptionsFrom } from '../helpers/parameters';

const resources: Record<string, Record<string, FeishuOperation>> = {
	punchFlow: punchFlow.operations,
	punchResult: punchResult.operations,
	statistics: statistics.operations,
	approval: approval.operations,
	remedy: remedy.operations,
	attendanceGroup: attendanceGroup.operations,
	shift: shift.operations,
	schedule: schedule.operations,
	leaveBalance: leaveBalance.operations,
	archiveReport: archiveReport.operations,
	facePhoto: facePhoto.operations,
	customApiCall: customApi.operations,
};

/** Dispatches to the selected operation with one FeishuClient for this run (one pacer, one token state). */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operation = this.getNodeParameter('operation', 0) as string;
	const selected = resources[resource]?.[operation];
	if (!selected) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operation}" is not supported for "${resource}"`,
		);
	}
	const client = new FeishuClient(this, clientOptionsFrom(this));
	return [await selected.execute.call(this, items, client)];
}
