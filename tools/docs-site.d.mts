// Types of tools/docs-site.mjs, for its spec.

/** The repository root. */
export declare const ROOT: string;
/** The typedoc entry points (workspace packages with sources and a README) and the packages left out, with why. */
export declare function apiPackages(root?: string): { packages: string[]; notes: string[] };
/** Local links of a generated site that lead to no file, or to no element with the fragment's id. */
export declare function brokenLinks(siteDir: string): { page: string; href: string; reason: string }[];
