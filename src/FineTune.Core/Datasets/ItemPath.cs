namespace FineTune.Datasets;

/// <summary>The JSON path of an array item, built into a string only when an issue needs it.</summary>
internal readonly struct ItemPath
{
    private readonly string _array;
    private readonly int _index;

    public ItemPath(string array, int index)
    {
        _array = array;
        _index = index;
    }

    public string Child(string name) => ToString() + "." + name;

    public override string ToString() => _array + "[" + _index + "]";
}
