/**
 * The credentials helper the engine harness hands to n8n-core (test code only, never published).
 *
 * n8n-core's request path (`getCredentials`, `httpRequestWithAuthentication`, RoutingNode) only talks
 * to credentials through an `ICredentialsHelper`. Real n8n's helper lives in the CLI package (not on npm
 * in a usable form), so this is an independent implementation of the same documented behaviour
 * (n8n-io/n8n packages/cli/src/credentials-helper.ts):
 *
 * - `getDecrypted`: reads the stored data (a copy: a "database" read), fills the credential type's
 *   defaults with n8n-workflow's `NodeHelpers.getNodeParameters` (which, like n8n, keeps only declared
 *   and currently displayed properties), then resolves expressions in the data with n8n-workflow's
 *   expression engine.
 * - `preAuthentication`: finds the first hidden `expirable` property; runs the credential type's
 *   `preAuthentication` when that field is empty, when `credentialsExpired` is true, or for a credential
 *   test (mock `n8n-nodes-base.noOp` node with `parameters.temp === ''`). `this` is `{ helpers: { httpRequest } }`
 *   only (as n8n 2.x). The output must contain the expirable field, else nothing happens. With a node
 *   credential reference the stored data is updated (expression fields other than the expirable one are
 *   kept) and `updates` is counted; the merged credentials are returned (the caller's object is mutated,
 *   as n8n does).
 * - `authenticate`: function form is called as is; generic form resolves every key and value of
 *   headers / qs / body / auth with `workflow.expression.getSimpleParameterValue` and `$credentials`.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers, isExpression } from 'n8n-workflow';
import { getAdditionalKeys } from 'n8n-core';

/**
 * The credential as "stored in the database", shared across runs when passed to several runs.
 * Reads hand out copies; a write replaces `data` (hold the store, not `store.data`).
 */
export interface CredentialStore {
	data: ICredentialDataDecryptedObject;
	/** times n8n stored a new token (preAuthentication output written back) */
	updates: number;
}

export function createStore(data: ICredentialDataDecryptedObject = {}): CredentialStore {
	return { data: { ...data }, updates: 0 };
}

/** One call of the credential type's preAuthentication, as recorded by the helper. */
export interface PreAuthRecord {
	credentialsExpired: boolean;
	testing: boolean;
	outcome: 'stored' | 'returned' | 'ignored' | 'threw';
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Every run of the credential's preAuthentication through this helper. */
	readonly preAuthRuns: PreAuthRecord[] = [];

	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		/** credential id → store */
		private readonly stores: Record<string, CredentialStore>,
	) {
		super();
	}

	private type(name: string): ICredentialType {
		const type = this.credentialTypes[name];
		if (!type) throw new Error(`Unknown credential type "${name}"`);
		return type;
	}

	private store(
		nodeCredentials: INodeCredentialsDetails | undefined,
		type: string,
	): CredentialStore {
		const id = nodeCredentials?.id;
		if (!id) throw new Error(`Credential of type "${type}" has no id`);
		const store = this.stores[id];
		if (!store) throw new Error(`Credential with ID "${id}" does not exist for type "${type}".`);
		return store;
	}

	getParentTypes(name: string): string[] {
		const type = this.type(name);
		const parents: string[] = [];
		for (const parent of type.extends ?? []) {
			parents.push(parent);
			if (this.credentialTypes[parent]) parents.push(...this.getParentTypes(parent));
		}
		return parents;
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}

	async getCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentials> {
		const store = this.store(nodeCredentials, type);
		const data = clone(store.data);
		return {
			id: nodeCredentials.id ?? undefined,
			name: nodeCredentials.name,
			type,
			data: undefined,
			getData: () => clone(data),
			getDataToSave: () => ({
				id: nodeCredentials.id ?? undefined,
				name: nodeCredentials.name,
				type,
				data: JSON.stringify(data),
			}),
			setData: (next: ICredentialDataDecryptedObject) => {
				Object.keys(data).forEach((k) => delete data[k]);
				Object.assign(data, clone(next));
			},
		} as unknown as ICredentials;
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const stored = clone(this.store(nodeCredentials, type).data);
		if (raw === true) return stored;
		return this.applyDefaults(
			additionalData,
			stored,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** Defaults of the credential type + expression resolution, as n8n's applyDefaultsAndOverwrites (no overwrites configured). */
	applyDefaults(
		additionalData: IWorkflowExecuteAdditionalData,
		data: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const properties = this.getCredentialsProperties(type);
		let decrypted = NodeHelpers.getNodeParameters(
			properties,
			data as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (!expressionResolveValues) {
			// Outside an execution n8n resolves with a mock workflow; credential tests here use no expressions.
			return decrypted;
		}
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { secretsEnabled: false });
		decrypted = expressionResolveValues.workflow.expression.getParameterValue(
			decrypted as INodeParameters,
			expressionResolveValues.runExecutionData,
			expressionResolveValues.runIndex,
			expressionResolveValues.itemIndex,
			expressionResolveValues.node.name,
			expressionResolveValues.connectionInputData,
			mode,
			additionalKeys,
			executeData,
			false,
			decrypted,
		) as ICredentialDataDecryptedObject;
		return decrypted;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.type(typeName);
		const expirable = credentialType.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (expirable?.name === undefined) return undefined;
		const testing = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (!(credentials[expirable.name] === '' || credentialsExpired || testing)) return undefined;

		// Only httpRequest is offered to preAuthentication (n8n 2.x restricts `this` to it).
		const restricted: IHttpRequestHelper = {
			helpers: {
				httpRequest: async (options: IHttpRequestOptions) =>
					await helpers.helpers.httpRequest(options),
			},
		};
		const record: PreAuthRecord = { credentialsExpired, testing, outcome: 'threw' };
		this.preAuthRuns.push(record);
		const output = (await credentialType.preAuthentication.call(
			restricted,
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output?.[expirable.name] === undefined) {
			record.outcome = 'ignored';
			return undefined;
		}
		const nodeCredentials = node.credentials?.[credentialType.name];
		if (node.credentials && nodeCredentials) {
			const store = this.store(nodeCredentials, typeName);
			const persisted: ICredentialDataDecryptedObject = clone(store.data);
			for (const [key, value] of Object.entries(output)) {
				if (key === expirable.name || !isExpression(store.data[key])) persisted[key] = value;
			}
			await this.updateCredentials(nodeCredentials, typeName, persisted);
			record.outcome = 'stored';
			return Object.assign(credentials, output);
		}
		record.outcome = 'returned';
		return output;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incoming: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow: Workflow,
		node: INode,
	): Promise<IHttpRequestOptions> {
		const requestOptions = incoming as IHttpRequestOptions & Record<string, unknown>;
		const { authenticate } = this.type(typeName);
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (authenticate && typeof authenticate === 'object') {
			if (requestOptions.headers === undefined) requestOptions.headers = {};
			if (authenticate.type === 'generic') {
				const resolve = (value: string) =>
					this.resolveValue(value, { $credentials: credentials }, workflow, node);
				for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
					for (const [key, value] of Object.entries(outerValue as Record<string, string>)) {
						const target = (requestOptions[outerKey] ??= {}) as Record<string, unknown>;
						target[resolve(key)] = resolve(value);
					}
				}
			}
		}
		return requestOptions;
	}

	private resolveValue(
		value: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(value)) return value;
		const resolved = workflow.expression.getSimpleParameterValue(
			node,
			value,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!resolved) return '';
		return resolved.toString();
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const store = this.store(nodeCredentials, type);
		store.data = clone(data);
		store.updates++;
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		const store = this.store(nodeCredentials, type);
		store.data = { ...store.data, oauthTokenData: clone(data.oauthTokenData) };
		store.updates++;
	}
}
