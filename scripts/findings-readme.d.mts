export declare const STUDY_DIR: string;
export declare function withFindingsSection(readme: string, table: string): string;
