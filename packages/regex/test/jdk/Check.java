// Reads lines "base64(pattern) TAB base64(input) TAB from" and prints "T|F start,end,…|null" (String.matches, then
// Matcher.find(from) with every group), "ERR" for a PatternSyntaxException. Used by ../jdk.test.ts.
import java.util.*;
import java.util.regex.*;
import java.io.*;
import java.nio.charset.StandardCharsets;
public class Check {
  public static void main(String[] a) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    String line;
    Base64.Decoder d = Base64.getDecoder();
    while ((line = r.readLine()) != null) {
      String[] f = line.split("\t", -1);
      String p = new String(d.decode(f[0]), StandardCharsets.UTF_8);
      String s = new String(d.decode(f[1]), StandardCharsets.UTF_8);
      int from = Integer.parseInt(f[2]);
      StringBuilder sb = new StringBuilder();
      try {
        Pattern pat = Pattern.compile(p);
        Matcher m = pat.matcher(s);
        sb.append(m.matches() ? "T" : "F").append(' ');
        m = pat.matcher(s);
        if (m.find(from)) {
          for (int g = 0; g <= m.groupCount(); g++) { if (g > 0) sb.append(','); sb.append(m.start(g)).append(',').append(m.end(g)); }
        } else sb.append("null");
      } catch (PatternSyntaxException e) { sb.append("ERR"); }
      catch (Throwable e) { sb.append("THROW " + e.getClass().getSimpleName()); }
      out.println(sb);
    }
  }
}
