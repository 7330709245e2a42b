/**
 * Approvals (leave, out of office, overtime, business trip), one module per concern:
 * - approvalOptions.ts   named options ↔ Feishu's numbers (the node's option lists)
 * - approvalBody.ts      request bodies of POST user_approvals
 * - approvalRejection.ts the reason in a 1225001 answer
 * - approvalWrite.ts     Approval → Create: sending one record and reading the answer
 * - approvalQuery.ts     date windows of user_approvals/query
 * - approvalOutput.ts    output items of Approval → Get Many
 * This file re-exports them for the operations of this folder.
 */
export * from './approvalBody';
export * from './approvalOptions';
export * from './approvalOutput';
export * from './approvalQuery';
export * from './approvalRejection';
