/**
 * The time helpers live in nodes/shared/time.ts (the trigger uses them too); this path stays for the
 * operations. The Timezone option of an item is read with timezoneFrom (helpers/parameters.ts).
 */
export * from '../../shared/time';
