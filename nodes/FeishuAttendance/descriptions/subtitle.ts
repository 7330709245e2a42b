import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** A subtitle that depends on a parameter of the operation (e.g. Approval → Create: the approval type). */
interface SubtitleWords {
	parameter: string;
	/** words per value of `parameter`; other values show the operation's action string */
	words: Record<string, string>;
}

/** Texts inside an n8n expression: JSON, with no `{{` or `}}` that would end the expression early. */
const literal = (value: unknown) =>
	JSON.stringify(value).replace(/\{\{/g, '{ {').replace(/\}\}/g, '} }');

/**
 * The node's canvas subtitle as an n8n expression: the `action` string of the chosen operation ("Import punch
 * records", "Get many punch results"), read from every Operation selector in `properties` (a parameter named
 * `operation` shown for one or more resources), so that each new operation is covered. `special` overrides
 * it for some operations ("resource.operation" → words per value of a parameter). Fallback for anything not
 * listed: "operation: resource", as before.
 */
export function subtitleExpression(
	properties: INodeProperties[],
	special: Record<string, SubtitleWords> = {},
	/** "resource.operation" → words, for operations without an options list (a hidden Operation) */
	more: Record<string, string> = {},
): string {
	const actions: Record<string, string> = { ...more };
	for (const property of properties) {
		if (property.name !== 'operation' || property.type !== 'options') continue;
		const resources = (property.displayOptions?.show?.resource ?? []) as string[];
		for (const option of (property.options ?? []) as INodePropertyOptions[]) {
			if (typeof option.action !== 'string' || typeof option.value !== 'string') continue;
			for (const resource of resources) actions[`${resource}.${option.value}`] = option.action;
		}
	}
	const key = '$parameter["resource"] + "." + $parameter["operation"]';
	const specialParts = Object.entries(special).map(
		([operation, { parameter, words }]) =>
			`(${key} === ${literal(operation)} ? ${literal(words)}[$parameter[${literal(parameter)}]] : "")`,
	);
	const parts = [
		...specialParts,
		`${literal(actions)}[${key}]`,
		'($parameter["operation"] + ": " + $parameter["resource"])',
	];
	return `={{ ${parts.join(' || ')} }}`;
}
