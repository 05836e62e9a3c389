// git names an author "Name <email>"; the app keeps names only (its store holds no e-mail address,
// as for a push, where GitHub gives the name).

/** The name of "Name <email>" (the text as it is when it holds no address). */
export function authorName(author: string): string {
  return author.replace(/\s*<[^<>]*>\s*$/, "");
}
