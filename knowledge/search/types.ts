// What the help-article ingest produces and the search index stores.
import type { CloudId } from '../directory/types';

/** A run of a section's text that applies to some clouds only (null: every cloud). */
export interface Segment {
  clouds: CloudId[] | null;
  text: string;
}

export interface SectionLink {
  text: string;
  href: string;
}

export interface HelpSection {
  /** `${articlePath}#${anchor}`: stable across rebuilds while the heading's anchor stays. */
  id: string;
  /** Path of the article below its knowledge folder, e.g. `en/add-users.md`. */
  articlePath: string;
  anchor: string;
  /** Other anchors that point at this section (bookmark lines such as `<a name="bkmk_x"></a>`). */
  aliases: string[];
  /** Language of the article: `en`, `ko`, or whatever the file says. */
  language: string;
  articleTitle: string;
  /** The section's own heading; the article title for the lead section. */
  heading: string;
  /** Ancestor headings then this heading (without the article title). */
  headingPath: string[];
  level: number;
  /** Clouds this section applies to; null for every cloud. */
  clouds: CloudId[] | null;
  /** Moniker ranges that are not one of the known clouds, kept as they were written. */
  tags: string[];
  segments: Segment[];
  links: SectionLink[];
  /** Where "Read more" takes the reader. */
  url: string;
}

export interface HelpArticle {
  path: string;
  language: string;
  title: string;
  description: string;
  /** The `ms.*` keys of the front matter, as strings. */
  meta: Record<string, string>;
  sections: HelpSection[];
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface IngestResult {
  articles: HelpArticle[];
  skipped: SkippedFile[];
  /** Things read but not resolved, e.g. an include whose file is missing. Not errors. */
  warnings: string[];
}

export function sectionText(section: Pick<HelpSection, 'segments'>, cloud?: CloudId): string {
  return section.segments
    .filter((s) => !cloud || !s.clouds || s.clouds.includes(cloud))
    .map((s) => s.text)
    .join('\n')
    .trim();
}
