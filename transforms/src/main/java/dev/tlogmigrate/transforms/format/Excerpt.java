package dev.tlogmigrate.transforms.format;

/**
 * What an error message may quote of hostile input: one short line, control characters replaced.
 */
final class Excerpt {
  private static final int MAX = 80;

  private Excerpt() {}

  static String of(String text) {
    StringBuilder sb = new StringBuilder();
    text.codePoints()
        .limit(MAX + 1L)
        .forEach(
            c -> {
              boolean breaksLines =
                  Character.isISOControl(c)
                      || Character.getType(c) == Character.LINE_SEPARATOR
                      || Character.getType(c) == Character.PARAGRAPH_SEPARATOR;
              sb.appendCodePoint(breaksLines ? '?' : c);
            });
    return sb.codePointCount(0, sb.length()) > MAX
        ? sb.substring(0, sb.offsetByCodePoints(0, MAX - 3)) + "..."
        : sb.toString();
  }
}
