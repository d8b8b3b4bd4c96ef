import LexstatNet
