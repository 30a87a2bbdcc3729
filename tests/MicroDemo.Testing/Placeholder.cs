namespace MicroDemo.Testing;

internal static class Placeholder;
