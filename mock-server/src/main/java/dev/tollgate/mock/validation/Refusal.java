package dev.tollgate.mock.validation;

/**
 * One request Groq refuses: the HTTP status and the error fields of its body. Groq's validation
 * errors carry only {@code message} and {@code type} (param and code null: left out of the body),
 * except the few refusals quoted with a {@code param}.
 */
public record Refusal(int status, String message, String type, String param, String code) {
    static Refusal invalid(String message) {
        return new Refusal(400, message, "invalid_request_error", null, null);
    }

    static Refusal invalid(String message, String param) {
        return new Refusal(400, message, "invalid_request_error", param, null);
    }
}
