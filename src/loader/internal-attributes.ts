// The root-group attributes `hsload -a` keeps for itself: the ledger of loaded sources and the load lock.
// They describe the load, not the data, so our tools hide them (hsls --showattrs, hsget).

/** Holds an object reference to the ledger dataset (ledger.ts). */
export const LEDGER_ATTRIBUTE = "_hsds_tools_ledger";
/** Present while a load holds the domain (lock.ts). */
export const LOCK_ATTRIBUTE = "_hsds_tools_lock";

export function isInternalAttribute(name: string): boolean {
  return name === LEDGER_ATTRIBUTE || name === LOCK_ATTRIBUTE;
}

/** The type of the ledger's records and of the lock's value: variable-length UTF-8 text. */
export const UTF8_TEXT = { class: "H5T_STRING", length: "H5T_VARIABLE", charSet: "H5T_CSET_UTF8", strPad: "H5T_STR_NULLTERM" };
