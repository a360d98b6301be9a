/** What a resource refers to, as found by the template layer while resolving it. */
export interface ResourceReferences {
  name: string;
  /** Entries of depends_on, each with the template path of the entry. */
  dependsOn: { target: string; path: string }[];
  /** get_resource (no attribute) and get_attr (attribute set; `*` for the all-attributes form; `key`: the path's first name) found in properties and metadata. */
  refs: { target: string; attribute?: string; key?: string; path: string }[];
}
