var t = LambdaSlim.Project.SamTemplate.Load(args[0]);
Console.Write(t.Serialize());
