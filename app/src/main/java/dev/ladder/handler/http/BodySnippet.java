package dev.ladder.handler.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Keeps the first bytes of a response body and discards the rest, so a huge error page costs no
 * memory; renders them as one line of text for the error history.
 */
final class BodySnippet implements HttpResponse.BodySubscriber<BodySnippet.Kept> {

    /** The kept bytes (a few more than the limit, to find a character boundary) and the total. */
    record Kept(byte[] bytes, long total) {}

    // A UTF-8 character is at most 4 bytes: enough look-ahead to cut on a character boundary.
    private static final int LOOK_AHEAD = 4;

    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final CompletableFuture<Kept> result = new CompletableFuture<>();
    private long total;

    BodySnippet(int limit) {
        this.limit = limit;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        // Keep reading to the end (discarding) so the connection can be reused.
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer item : items) {
            total += item.remaining();
            int room = limit + LOOK_AHEAD - kept.size();
            int take = Math.min(room, item.remaining());
            if (take > 0) {
                byte[] chunk = new byte[take];
                item.get(chunk);
                kept.write(chunk, 0, take);
            }
        }
    }

    @Override
    public void onError(Throwable failure) {
        result.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        result.complete(new Kept(kept.toByteArray(), total));
    }

    @Override
    public CompletionStage<Kept> getBody() {
        return result;
    }

    /**
     * At most {@code limit} bytes of the body as one line: decoded as UTF-8 (bad bytes become
     * U+FFFD, a character cut by the limit is left out), control characters and runs of white
     * space collapsed to one space, and "…" when something was cut.
     */
    static String render(Kept body, int limit) {
        byte[] b = body.bytes();
        int cut = Math.min(b.length, limit);
        if (cut < b.length) {
            // b[cut] is the first byte left out; if it continues a character, drop that character.
            while (cut > 0 && (b[cut] & 0xC0) == 0x80) {
                cut--;
            }
        }
        String text = new String(b, 0, cut, StandardCharsets.UTF_8)
                .replaceAll("[\\p{Cntrl}\\s]+", " ")
                .trim();
        return body.total() > cut ? text + "…" : text;
    }
}
