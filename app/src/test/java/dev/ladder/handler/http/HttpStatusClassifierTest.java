package dev.ladder.handler.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.handler.Outcome;
import dev.ladder.handler.http.HttpStatusClassifier.Verdict;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpStatusClassifierTest {

    @ParameterizedTest
    @ValueSource(ints = {408, 425, 429, 500, 502, 503, 504, 599})
    void shouldTreatThrottlingTimeoutsAndServerErrorsAsTransient(int status) {
        assertThat(HttpStatusClassifier.verdict(status)).isEqualTo(Verdict.TRANSIENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 410, 413, 422, 499})
    void shouldTreatOtherClientErrorsAsPermanent(int status) {
        assertThat(HttpStatusClassifier.verdict(status)).isEqualTo(Verdict.PERMANENT);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 101, 199, 300, 301, 302, 304, 307, 600, 0})
    void shouldFlagInformationalRedirectAndOutOfRangeStatusesAsUnexpected(int status) {
        assertThat(HttpStatusClassifier.verdict(status)).isEqualTo(Verdict.UNEXPECTED);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204, 299})
    void shouldTreat2xxAsSuccess(int status) {
        assertThat(HttpStatusClassifier.classify(status, "POST http://h/p", "", null))
                .isEqualTo(Outcome.success());
    }

    @Test
    void shouldCarryStatusMessageAndNotBeforeOnTransient() {
        // given
        Instant later = Instant.parse("2025-01-01T00:00:10Z");
        // when
        Outcome outcome = HttpStatusClassifier.classify(503, "POST https://host/path", "busy", later);
        // then
        assertThat(outcome)
                .isEqualTo(new Outcome.Transient("HTTP 503 from POST https://host/path: busy", null, 503, later));
    }

    @Test
    void shouldIgnoreNotBeforeAndOmitEmptySnippetOnPermanent() {
        // when
        Outcome outcome = HttpStatusClassifier.classify(404, "GET https://host/x", "", Instant.EPOCH);
        // then
        assertThat(outcome).isEqualTo(new Outcome.Permanent("HTTP 404 from GET https://host/x", null, 404));
    }

    @Test
    void shouldSayUnexpectedStatusForRedirects() {
        // when
        Outcome outcome = HttpStatusClassifier.classify(301, "POST https://host/x", "moved", null);
        // then
        assertThat(outcome)
                .isEqualTo(new Outcome.Permanent(
                        "HTTP 301 from POST https://host/x (unexpected status): moved", null, 301));
    }
}
