/**
 * "From List" searches of the resource locators for attendance groups and shifts (helpers/rules.ts).
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { fetchPage } from '../helpers/pagination';
import { FeishuClient } from '../transport';

const matches = (name: string, filter?: string) =>
	!filter || name.toLowerCase().includes(filter.trim().toLowerCase());

/**
 * Groups: with a filter, Feishu's name search (fuzzy, at most 10 results, the most recently changed first);
 * without one, the group list page by page.
 */
export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const client = new FeishuClient(this);
	if (filter && filter.trim() !== '') {
		const response = await client.request<IDataObject>({
			method: 'POST',
			path: '/groups/search',
			body: { group_name: filter.trim() },
			repeatable: true,
		});
		const groups = (response.data?.group_list ?? []) as IDataObject[];
		return {
			results: groups.map((g) => ({
				name: String(g.group_name ?? g.group_id),
				value: String(g.group_id),
			})),
		};
	}
	const page = await fetchPage(client, { path: '/groups', listKey: 'group_list' }, paginationToken);
	return {
		results: page.entries.map((g) => ({
			name: String(g.group_name ?? g.group_id),
			value: String(g.group_id),
		})),
		paginationToken: page.nextToken,
	};
}

/** Shifts page by page; Feishu has no name search that returns a list, so a filter is applied to each page. */
export async function searchShifts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const page = await fetchPage(
		new FeishuClient(this),
		{ path: '/shifts', listKey: 'shift_list' },
		paginationToken,
	);
	return {
		results: page.entries
			.filter((s) => matches(String(s.shift_name ?? ''), filter))
			.map((s) => ({ name: String(s.shift_name ?? s.shift_id), value: String(s.shift_id) })),
		paginationToken: page.nextToken,
	};
}
