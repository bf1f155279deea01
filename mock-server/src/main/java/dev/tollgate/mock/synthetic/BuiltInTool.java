package dev.tollgate.mock.synthetic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.fixture.Json;

/**
 * Groq's server-side tools for gpt-oss, {@code browser_search} and {@code code_interpreter}
 * (console.groq.com/docs/browser-search, /docs/code-execution), and the {@code message.executed_tools[]}
 * entry a synthetic answer reports for them. The entry's shape: groq-python's
 * {@code chat_completion_message.ExecutedTool} ({@code index, type, arguments, output, search_results,
 * code_results}) and Groq's code-execution doc, whose gpt-oss example is
 * {@code {name:"python", index:0, type:"function", arguments:"import math\nmath.sqrt(12345)\n",
 * search_results:{results:null}, code_results:[{text:"111.1080555135405"}]}}. Browser search follows the
 * same pattern with {@code search_results.results[{title,url,content,score}]} (recorded for
 * {@code groq/compound} in pydantic-ai's test_groq_model_web_search_tool.yaml); its name
 * {@code browser.search} is the harmony format's tool name — no gpt-oss recording shows Groq's.
 */
enum BuiltInTool {
    BROWSER_SEARCH(
            "browser_search", "browser.search", "I should search the web with the browser tool for current sources."),
    CODE_INTERPRETER(
            "code_interpreter", "python", "I should run Python code with the code interpreter to work this out.");

    final String type;
    private final String name;
    final String plan;

    BuiltInTool(String type, String name, String plan) {
        this.type = type;
        this.name = name;
        this.plan = plan;
    }

    static BuiltInTool of(String type) {
        for (BuiltInTool tool : values()) if (tool.type.equals(type)) return tool;
        return null;
    }

    /** The {@code executed_tools[]} entry, complete ({@code finished}) or as first announced in a stream. */
    ObjectNode executed(String question, boolean finished) {
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("name", name).put("index", 0).put("type", "function");
        if (this == BROWSER_SEARCH) {
            entry.put("arguments", Json.compact(Json.MAPPER.createObjectNode().put("query", question)));
            if (finished)
                entry.put(
                        "output",
                        "Title: Synthetic result for " + question
                                + "\nURL: https://example.com/search\nContent: A made-up page about " + question
                                + ".\nScore: 0.9");
            var results = entry.putObject("search_results").putArray("results");
            if (finished) {
                results.addObject()
                        .put("title", "Synthetic result for " + question)
                        .put("url", "https://example.com/search")
                        .put("content", "A made-up page about " + question + ".")
                        .put("score", 0.9);
            }
        } else {
            entry.put("arguments", "# " + question.replace('\n', ' ') + "\nprint(6 * 7)\n");
            if (finished) entry.put("output", "42\n");
            entry.putObject("search_results").putNull("results");
            if (finished) entry.putArray("code_results").addObject().put("text", "42");
        }
        return entry;
    }
}
