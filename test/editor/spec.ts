/**
 * What the node panel should show, read from the BUILT node description (dist/), so that a resource or
 * operation added later is checked without touching this suite.
 *
 * For each resource × operation: the labels of the top-level parameters n8n displays for that choice
 * (n8n-workflow's own displayParameter on the parameter defaults, as the editor does), which of them are
 * required, the resource locators whose "From List" mode has a search method, and the options parameters filled
 * by a load-options method.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
	NodeHelpers,
	type INodeParameters,
	type INodeProperties,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { REPO_ROOT } from '../e2e/n8n';

export interface PanelField {
	name: string;
	displayName: string;
	type: string;
	required: boolean;
	/** inputs a collection or fixed collection shows inside itself (a fixed collection with a default shows them at once) */
	nested: string[];
}

export interface ListLocator {
	name: string;
	displayName: string;
	searchListMethod: string;
}

export interface PanelSpec {
	resource: string;
	resourceName: string;
	operation: string;
	operationName: string;
	/** the operation option's `action` text (e.g. "Get many punch results") */
	action?: string;
	/** top-level parameters displayed for this choice (resource and operation themselves excluded) */
	fields: PanelField[];
	/** resource locators with a "From List" mode */
	locators: ListLocator[];
	/** options parameters whose choices come from a load-options method of the node */
	loadOptions: Array<{ name: string; displayName: string; method: string }>;
}

/** dist/ folder of the package under test (EDITOR_DIST overrides, e.g. a private build). */
export function distDir(): string {
	return process.env.EDITOR_DIST || path.join(REPO_ROOT, 'dist');
}

export function loadDescription(dist = distDir()): INodeTypeDescription {
	const file = path.join(dist, 'nodes', 'FeishuAttendance', 'FeishuAttendance.node.js');
	if (!fs.existsSync(file))
		throw new Error(`${file} is missing: build the package first (npm run build)`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(file) as {
		FeishuAttendance: new () => { description: INodeTypeDescription };
	};
	return new mod.FeishuAttendance().description;
}

type Option = { name: string; value: string; action?: string };

function optionsOf(p: INodeProperties): Option[] {
	return ((p.options ?? []) as unknown as Array<Record<string, unknown>>)
		.filter((o) => typeof o.value === 'string')
		.map((o) => ({
			name: String(o.name),
			value: String(o.value),
			action: o.action as string | undefined,
		}));
}

export function loadTriggerDescription(dist = distDir()): INodeTypeDescription {
	const file = path.join(
		dist,
		'nodes',
		'FeishuAttendanceTrigger',
		'FeishuAttendanceTrigger.node.js',
	);
	if (!fs.existsSync(file))
		throw new Error(`${file} is missing: build the package first (npm run build)`);
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const mod = require(file) as {
		FeishuAttendanceTrigger: new () => { description: INodeTypeDescription };
	};
	return new mod.FeishuAttendanceTrigger().description;
}

/** The names of the parameters a collection or fixed collection holds, at any depth. */
function nestedNames(p: { type: string; options?: unknown[] }): string[] {
	if (p.type !== 'collection' && p.type !== 'fixedCollection') return [];
	const out: string[] = [];
	for (const o of (p.options ?? []) as Array<Record<string, any>>) {
		const inner =
			p.type === 'fixedCollection' ? ((o.values ?? []) as Array<Record<string, any>>) : [o];
		for (const q of inner) {
			if (typeof q.name !== 'string') continue;
			out.push(q.name, ...nestedNames(q as { type: string; options?: unknown[] }));
		}
	}
	return out;
}

/** What the panel shows for the given choice of resource / operation (the rest at their defaults). */
function panelFor(
	description: INodeTypeDescription,
	chosen: INodeParameters,
): Pick<PanelSpec, 'fields' | 'locators' | 'loadOptions'> {
	const props = description.properties;
	const node = {
		typeVersion: Array.isArray(description.version)
			? Math.max(...description.version)
			: description.version,
	};
	const values =
		NodeHelpers.getNodeParameters(props, chosen, true, false, node, description) ?? chosen;
	const shown = props.filter(
		(p) =>
			p.name !== 'resource' &&
			p.name !== 'operation' &&
			p.type !== 'hidden' &&
			NodeHelpers.displayParameter(values, p, node, description),
	);
	// one parameter name may be declared several times (per resource); keep the displayed one once
	const seen = new Set<string>();
	const fields: PanelField[] = [];
	for (const p of shown) {
		if (seen.has(p.name)) continue;
		seen.add(p.name);
		fields.push({
			name: p.name,
			displayName: p.displayName,
			type: p.type,
			required: p.required === true,
			nested: nestedNames(p),
		});
	}
	const locators: ListLocator[] = [];
	for (const p of shown) {
		if (p.type !== 'resourceLocator') continue;
		const list = (p.modes ?? []).find((m) => m.type === 'list');
		const method = list?.typeOptions?.searchListMethod;
		if (method)
			locators.push({ name: p.name, displayName: p.displayName, searchListMethod: method });
	}
	const loadOptions = shown
		.filter(
			(p) =>
				(p.type === 'options' || p.type === 'multiOptions') && p.typeOptions?.loadOptionsMethod,
		)
		.map((p) => ({
			name: p.name,
			displayName: p.displayName,
			method: String(p.typeOptions!.loadOptionsMethod),
		}));
	return { fields, locators, loadOptions };
}

/**
 * Every resource × operation of the description, with what its panel should show; a node without a
 * Resource parameter (the trigger) gives one entry for its default panel.
 */
export function panelSpecs(description: INodeTypeDescription = loadDescription()): PanelSpec[] {
	const props = description.properties;
	const node = {
		typeVersion: Array.isArray(description.version)
			? Math.max(...description.version)
			: description.version,
	};
	const resourceProp = props.find((p) => p.name === 'resource' && p.type === 'options');
	if (!resourceProp) {
		return [
			{
				resource: '',
				resourceName: description.displayName,
				operation: '',
				operationName: '',
				...panelFor(description, {}),
			},
		];
	}
	const specs: PanelSpec[] = [];
	for (const res of optionsOf(resourceProp)) {
		const base: INodeParameters = { resource: res.value };
		const opProp = props.find(
			(p) =>
				p.name === 'operation' &&
				p.type === 'options' &&
				NodeHelpers.displayParameter(base, p, node, description),
		);
		const ops: Option[] = opProp ? optionsOf(opProp) : [{ name: '', value: '' }];
		for (const op of ops) {
			const chosen: INodeParameters = op.value
				? { resource: res.value, operation: op.value }
				: { resource: res.value };
			specs.push({
				resource: res.value,
				resourceName: res.name,
				operation: op.value,
				operationName: op.name,
				action: op.action,
				...panelFor(description, chosen),
			});
		}
	}
	return specs;
}
